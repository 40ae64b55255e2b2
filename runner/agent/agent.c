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
 * Privileges: it starts as root with a few capabilities, places the code
 * copy and hands it to the image's USER, then becomes that user with none
 * (user.c) before serving any other request.
 *
 * Orphaned: when the host's end of stdin closes (the runner was killed; Docker
 * closes a container's stdin when its one attach ends, a VM's port hangs up),
 * the agent ends whatever runs and exits, and the sandbox with it. So a host
 * keeps stdin open until its last reply has come, and ends with `quit`.
 *
 * Parts: agent.c (this: the protocol and the main loop), run.c (commands,
 * once or timed), files.c (the code copy, the input, disk use), user.c (the
 * image's user, giving up privileges).
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
 *        -> out ID LEN + LEN bytes, then done ID STATUS CODE WALL_NS TRUNCATED CHANGED
 *   time ID MODE TIMEOUT_MS OUTCAP WARMUP RUNS LONG_MS LONG_RUNS VLONG_MS VLONG_RUNS PRIOR_NS ARGC ARG...
 *        the same run, repeated: stdout is the same kind of pipe as exec's, and
 *        each distinct output is sent back (after the last run) to be checked.
 *        A run (or PRIOR_NS, the check run's time) slower than LONG_MS or
 *        VLONG_MS cuts the runs to LONG_RUNS or VLONG_RUNS (and skips the warm-up).
 *        -> out ID LEN + bytes per distinct output (numbered 0, 1, ...), then
 *           done ID STATUS CODE NS,NS,... K,K,... CHANGED  (K per run, warm-up first;
 *           -1 = not kept; CHANGED: empty, or what a run changed, after which no run followed)
 *   mark ID              records the sandbox's state: from now on, after every run (exec, and each
 *                        run of time) what the run wrote is put back (state.c); a run that changed
 *                        what it cannot put back is named in the reply's CHANGED field.
 *        -> done ID ok ENTRIES | done ID error MESSAGE
 *   du ID PATH...        disk use (allocated bytes) below the paths; no link followed, no mount crossed.
 *        LEFT: the most a run since `mark` wrote and left (removed after it).
 *        -> done ID ok BYTES ENTRIES CAPPED LEFT
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

/* Requests the agent may serve while it still holds its privileges: placing the code copy, and measuring a file system. */
static int needs_no_drop(const char *req) {
  return strcmp(req, "tree") == 0 || strcmp(req, "df") == 0;
}

static int privileged = 1, strict = 0;

/* Gives up every privilege for good, or ends the agent: nothing of the participant's may run with one. */
static void drop_or_die(void) {
  if (!privileged) return;
  privileged = 0;
  if (become_user(strict) != 0) {
    printf("error\tthe agent cannot run commands as the image's user without privileges: %s\n", strerror(errno));
    fflush(stdout);
    exit(1);
  }
}

/*
 * -x CMD...: runs CMD as the image's user without any privilege (`aocbench
 * shell` through `docker exec`, which starts it with the container's
 * capabilities), instead of serving the protocol.
 */
static int run_as(char **cmd, int resolved, const char *err) {
  if (!cmd[0]) { fprintf(stderr, "aocbench-agent: -x needs a command\n"); return 126; }
  if (resolved != 0) { fprintf(stderr, "aocbench-agent: %s\n", err); return 126; }
  if (become_user(1) != 0) { fprintf(stderr, "aocbench-agent: cannot give up privileges: %s\n", strerror(errno)); return 126; }
  execvp(cmd[0], cmd);
  fprintf(stderr, "aocbench-agent: cannot run %s: %s\n", cmd[0], strerror(errno));
  return 127;
}

/*
 * Options (the host's, never the participant's):
 *   -u USER   the image's USER: the agent places the code copy as root, hands it
 *             to USER, and runs everything as USER
 *   -H        HOME is USER's home from the image's /etc/passwd (nothing set HOME)
 *   -o PATH   a persistence dir: its top is handed to USER
 *   -x CMD... see run_as()
 */
int main(int argc, char **argv) {
  /* Not dumpable: the participant's processes, same uid or not, cannot open /proc/1/fd or ptrace us. */
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  const char *user = NULL, *own[64];
  int home = 0, exec_mode = 0, nown = 0, opt;
  while ((opt = getopt(argc, argv, "+u:Ho:x")) != -1) {
    if (opt == 'u') user = optarg;
    else if (opt == 'H') home = 1;
    else if (opt == 'o' && nown < 64) own[nown++] = optarg;
    else if (opt == 'x') exec_mode = 1;
  }
  char err[600] = "";
  int resolved = user && *user ? resolve_user(user, err, sizeof err) : 0;
  the_user.set_home = home && the_user.set;
  if (exec_mode) return run_as(argv + optind, resolved, err);
  signal(SIGPIPE, SIG_IGN);
  static char outbuf[1 << 16];
  setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
  strict = getpid() == 1 || the_user.set;
  int setup = run_setup();
  keep_agent_caps();
  if (setup != 0 || resolved != 0) {
    printf("error\tagent setup failed: %s\n", resolved ? err : strerror(errno));
    fflush(stdout);
    return 1;
  }
  for (int i = 0; i < nown; i++) own_path(own[i]);
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
    if (!needs_no_drop(fields[0])) drop_or_die();
    if (strcmp(fields[0], "exec") == 0) do_exec(fields, n);
    else if (strcmp(fields[0], "time") == 0) do_time(fields, n);
    else if (strcmp(fields[0], "tree") == 0) { do_tree(fields, n); drop_or_die(); }
    else if (strcmp(fields[0], "put") == 0) do_put(fields, n);
    else if (strcmp(fields[0], "mark") == 0) do_mark(fields, n);
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
