/*
 * aocbench-agent: PID 1 of every participant container.
 *
 * Why a static C binary: it must run in any image (glibc, musl, busybox-only,
 * distroless), and a timed sample must cost exactly one native spawn + wait,
 * never a `docker exec` or a round trip to the host.
 *
 * Trust: everything the participant's processes can write stays on their side
 * of this process. The host learns results only from this process's stdout,
 * which they cannot reach: the agent is not dumpable (no /proc/1/fd, no
 * ptrace), its children get /dev/null (opened before any of them ran) and a
 * pipe it reads itself, and after every step it kills every other process in
 * the container, so nothing a step started survives into the next one.
 *
 * Parts: agent.c (this: the protocol and the main loop), run.c (commands,
 * once or timed), files.c (the code copy, the input, disk use).
 *
 * Protocol: one request per line on stdin, one reply per line on stdout.
 * Fields are separated by TAB; inside a field "\\", "\t" and "\n" are escaped.
 * Some requests and replies are followed by raw bytes whose count they name.
 *
 *   tree ID ROOT COUNT   then COUNT records, each a line "TYPE PATH MODE SIZE"
 *                        and SIZE bytes (TYPE f file, l symlink: the bytes are
 *                        its target, d directory); PATH is relative to ROOT.
 *        -> done ID ok | done ID error MESSAGE
 *   put ID PATH SIZE     then SIZE bytes: writes the file, parents created.
 *        -> done ID ok | done ID error MESSAGE
 *   exec ID MODE TIMEOUT_MS OUTCAP CAPMODE ARGC ARG...
 *        runs once; stdout+stderr merged into a pipe, at most OUTCAP bytes kept.
 *        CAPMODE "kill" ends the command when it prints more, "cut" keeps it running.
 *        -> out ID LEN + LEN bytes, then done ID STATUS CODE WALL_NS TRUNCATED
 *   time ID MODE TIMEOUT_MS OUTCAP WARMUP RUNS LONG_MS LONG_RUNS VLONG_MS VLONG_RUNS PRIOR_NS ARGC ARG...
 *        the same run, repeated: stdout is the same kind of pipe as exec's, and
 *        each distinct output is sent back (after the last run) to be checked.
 *        A run (or PRIOR_NS, the check run's time) slower than LONG_MS or
 *        VLONG_MS cuts the runs to LONG_RUNS or VLONG_RUNS (and skips the warm-up).
 *        -> out ID LEN + bytes per distinct output (numbered 0, 1, ...), then
 *           done ID STATUS CODE NS,NS,... K,K,...  (K per run, warm-up first; -1 = not kept)
 *   du ID PATH...        disk use (allocated bytes) below the paths; no link followed, no mount crossed.
 *        -> done ID ok BYTES ENTRIES CAPPED
 *   df ID PATH           bytes in use on the file system that holds PATH.
 *        -> done ID ok BYTES
 *   shell ID             an interactive shell on fd 3 (a VM guest's shell port), for `aocbench shell`.
 *        -> done ID ok, when it ends
 *   quit
 * MODE is "direct" (ARG... is argv) or "sh" (ARG0 is a shell command line).
 * STATUS is exit | signal | timeout | oom | output-limit | spawn-error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "agent.h"

/* Unescape in place; returns the field. */
static char *unescape(char *s) {
  char *r = s, *w = s;
  while (*r) {
    if (*r == '\\' && r[1]) {
      r++;
      *w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r;
      r++;
    } else {
      *w++ = *r++;
    }
  }
  *w = 0;
  return s;
}

int split(char *line, char **fields, int max) {
  int n = 0;
  char *p = line;
  while (n < max) {
    fields[n++] = p;
    char *t = strchr(p, '\t');
    if (!t) break;
    *t = 0;
    p = t + 1;
  }
  for (int i = 0; i < n; i++) unescape(fields[i]);
  return n;
}

/* A reply field: TAB and newline in a message would break the line protocol. */
void put_field(const char *s) {
  for (; *s; s++) {
    if (*s == '\\') fputs("\\\\", stdout);
    else if (*s == '\t') fputs("\\t", stdout);
    else if (*s == '\n') fputs("\\n", stdout);
    else putchar(*s);
  }
}

void reply_error(const char *id, const char *what, const char *detail) {
  printf("done\t%s\terror\t", id);
  put_field(what);
  if (detail) { fputs(": ", stdout); put_field(detail); }
  putchar('\n');
}

/*
 * No capability and no way to gain one, for us and every child: Docker's
 * sandbox already gives none (these calls then change nothing); a VM guest
 * starts us as root with all of them.
 */
static void drop_privileges(void) {
  for (int cap = 0; cap <= 63; cap++) prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
  struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct d[2];
  memset(d, 0, sizeof d);
  syscall(SYS_capset, &h, d);
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

int main(void) {
  /* Not dumpable: the participant's processes, same uid or not, cannot open /proc/1/fd or ptrace us. */
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  signal(SIGPIPE, SIG_IGN);
  static char outbuf[1 << 16];
  setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
  int setup = run_setup();
  drop_privileges();
  if (setup != 0) {
    printf("error\tagent setup failed: %s\n", strerror(errno));
    fflush(stdout);
    return 1;
  }
  printf("ready\n");
  fflush(stdout);
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  char *fields[MAX_FIELDS + 16];
  /*
   * In a VM guest nothing flushes the page cache when the guest ends, so what
   * a step wrote to a persistence disk is synced after it (never during timed
   * runs). Docker containers share the host's cache: no sync there.
   */
  int sync_steps = getenv("AOCBENCH_GUEST") != NULL;
  unsetenv("AOCBENCH_GUEST");
  while ((len = getline(&line, &cap, stdin)) > 0) {
    if (line[len - 1] == '\n') line[len - 1] = 0;
    int n = split(line, fields, MAX_FIELDS + 16);
    if (strcmp(fields[0], "exec") == 0) do_exec(fields, n);
    else if (strcmp(fields[0], "time") == 0) do_time(fields, n);
    else if (strcmp(fields[0], "tree") == 0) do_tree(fields, n);
    else if (strcmp(fields[0], "put") == 0) do_put(fields, n);
    else if (strcmp(fields[0], "du") == 0) do_du(fields, n);
    else if (strcmp(fields[0], "df") == 0) do_df(fields, n);
    else if (strcmp(fields[0], "shell") == 0) do_shell(fields, n);
    else if (strcmp(fields[0], "quit") == 0) break;
    else printf("error\tunknown request %s\n", fields[0]);
    if (sync_steps) sync();
    fflush(stdout);
  }
  if (sync_steps) sync();
  return 0;
}
