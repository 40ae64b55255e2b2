/*
 * aocbench-agent: PID 1 of every participant container.
 *
 * Why a static C binary: it must run in any image (glibc, musl, busybox-only,
 * distroless), and a timed sample must cost exactly one native spawn + wait,
 * never a `docker exec` or a round trip to the host.
 *
 * Protocol: one request per line on stdin, one reply per line on stdout.
 * Fields are separated by TAB; inside a field "\\", "\t" and "\n" are escaped.
 *
 *   exec ID MODE TIMEOUT_MS OUTCAP CAPMODE ARGC ARG...
 *        runs once, stdout+stderr merged into /.aocbench/io/ID.out (at most OUTCAP bytes).
 *        CAPMODE "kill" ends the command when it prints more, "cut" keeps it running.
 *        -> done ID STATUS CODE WALL_NS OUTBYTES TRUNCATED
 *   time ID MODE TIMEOUT_MS WARMUP RUNS LONG_MS LONG_RUNS VLONG_MS VLONG_RUNS ARGC ARG...
 *        output to /dev/null; -> done ID STATUS CODE NS,NS,...
 *   quit
 * MODE is "direct" (ARG... is argv) or "sh" (ARG0 is a shell command line).
 * STATUS is exit | signal | timeout | oom | output-limit | spawn-error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define IO_DIR "/.aocbench/io"
#define BUSYBOX "/.aocbench/busybox"
#define MAX_FIELDS 4096

static volatile sig_atomic_t alarmed = 0;
static void on_alarm(int sig) { (void)sig; alarmed = 1; }

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

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

static int split(char *line, char **fields, int max) {
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

/* The kernel's count of OOM kills in this container's memory cgroup (v1 or v2). */
static long oom_kills(void) {
  static const char *files[] = {"/sys/fs/cgroup/memory/memory.oom_control", "/sys/fs/cgroup/memory.events"};
  for (int i = 0; i < 2; i++) {
    FILE *f = fopen(files[i], "r");
    if (!f) continue;
    char key[64];
    long val;
    while (fscanf(f, "%63s %ld", key, &val) == 2) {
      if (strcmp(key, "oom_kill") == 0) { fclose(f); return val; }
    }
    fclose(f);
  }
  return -1;
}

static const char *find_shell(void) {
  if (access("/bin/bash", X_OK) == 0) return "/bin/bash";
  if (access("/bin/sh", X_OK) == 0) return "/bin/sh";
  return NULL;
}

/* Builds argv for MODE; returns 0 on success. */
static int build_argv(const char *mode, int argc, char **args, char **argv) {
  if (strcmp(mode, "sh") == 0) {
    if (argc < 1) return -1;
    const char *sh = find_shell();
    int i = 0;
    if (sh) {
      argv[i++] = (char *)sh;
    } else {
      argv[i++] = BUSYBOX;
      argv[i++] = "sh";
    }
    argv[i++] = "-c";
    argv[i++] = args[0];
    argv[i] = NULL;
    return 0;
  }
  if (argc < 1) return -1;
  for (int i = 0; i < argc; i++) argv[i] = args[i];
  argv[argc] = NULL;
  return 0;
}

static int spawn(char **argv, int out_fd, pid_t *pid) {
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t at;
  posix_spawn_file_actions_init(&fa);
  posix_spawnattr_init(&at);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
  posix_spawn_file_actions_adddup2(&fa, out_fd, 2);
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&at, &all);
  posix_spawnattr_setsigmask(&at, &none);
  posix_spawnattr_setpgroup(&at, 0);
  posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  int rc = posix_spawnp(pid, argv[0], &fa, &at, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&at);
  return rc;
}

/* Ends whatever the command left behind and reaps orphans re-parented to us. */
static void cleanup_group(pid_t pid) {
  kill(-pid, SIGKILL);
  while (waitpid(-1, NULL, WNOHANG) > 0) {}
}

static const char *classify(int wstatus, long oom_before, int *code) {
  if (WIFEXITED(wstatus)) { *code = WEXITSTATUS(wstatus); return "exit"; }
  *code = 128 + WTERMSIG(wstatus);
  if (WTERMSIG(wstatus) == SIGKILL && oom_before >= 0 && oom_kills() > oom_before) return "oom";
  return "signal";
}

static void do_exec(char **f, int n) {
  if (n < 8) { printf("error\tbad exec request\n"); return; }
  const char *id = f[1], *mode = f[2];
  long timeout_ms = atol(f[3]);
  long cap = atol(f[4]);
  int kill_on_cap = strcmp(f[5], "kill") == 0;
  int argc = atoi(f[6]);
  if (argc > n - 7) argc = n - 7;
  char *argv[MAX_FIELDS + 4];
  char path[512];
  snprintf(path, sizeof path, IO_DIR "/%s.out", id);
  int out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (out < 0 || build_argv(mode, argc, f + 7, argv) != 0) {
    printf("done\t%s\tspawn-error\t-1\t0\t0\t0\n", id);
    if (out >= 0) close(out);
    return;
  }
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) { printf("done\t%s\tspawn-error\t-1\t0\t0\t0\n", id); close(out); return; }
  long oom_before = oom_kills();
  pid_t pid;
  uint64_t t0 = now_ns();
  int rc = spawn(argv, p[1], &pid);
  close(p[1]);
  if (rc != 0) {
    dprintf(out, "aocbench: cannot start %s: %s\n", argv[0], strerror(rc));
    printf("done\t%s\tspawn-error\t127\t0\t0\t0\n", id);
    close(p[0]);
    close(out);
    return;
  }
  const char *status = NULL;
  int code = -1, wstatus = 0, exited = 0, truncated = 0;
  long written = 0;
  uint64_t deadline = t0 + (uint64_t)timeout_ms * 1000000ull, exit_at = 0, wall = 0;
  char buf[65536];
  for (;;) {
    struct pollfd pf = {p[0], POLLIN, 0};
    int pr = poll(&pf, 1, p[0] < 0 ? 2 : 20);
    if (pr > 0) {
      ssize_t r = read(p[0], buf, sizeof buf);
      if (r <= 0) {
        if (exited) break;
        close(p[0]);
        p[0] = -1;
      } else {
        long keep = r;
        if (written + keep > cap) { keep = cap - written; truncated = 1; }
        if (keep > 0) { if (write(out, buf, keep) < 0) {} written += keep; }
        if (truncated && kill_on_cap && !status) { status = "output-limit"; kill(-pid, SIGKILL); }
      }
    }
    if (!exited && waitpid(pid, &wstatus, WNOHANG) == pid) {
      exited = 1;
      wall = now_ns() - t0;
      exit_at = now_ns();
    }
    if (exited && (p[0] < 0 || now_ns() - exit_at > 200000000ull)) break;
    if (!exited && now_ns() > deadline) {
      status = "timeout";
      kill(-pid, SIGKILL);
      waitpid(pid, &wstatus, 0);
      exited = 1;
      wall = now_ns() - t0;
      break;
    }
  }
  const char *cls = classify(wstatus, oom_before, &code);
  if (!status) status = cls;
  if (p[0] >= 0) close(p[0]);
  close(out);
  cleanup_group(pid);
  printf("done\t%s\t%s\t%d\t%llu\t%ld\t%d\n", id, status, code, (unsigned long long)wall, written, truncated);
}

/* One sample: spawn, wait, return wall ns. Status "exit" with code 0 on success. */
static const char *sample(char **argv, int devnull, long timeout_ms, int *code, uint64_t *ns) {
  long oom_before = oom_kills();
  struct itimerval it = {{0, 0}, {timeout_ms / 1000, (timeout_ms % 1000) * 1000}};
  alarmed = 0;
  setitimer(ITIMER_REAL, &it, NULL);
  pid_t pid;
  uint64_t t0 = now_ns();
  int rc = spawn(argv, devnull, &pid);
  if (rc != 0) { *code = 127; return "spawn-error"; }
  int wstatus = 0;
  const char *status = NULL;
  while (waitpid(pid, &wstatus, 0) != pid) {
    if (errno == EINTR && alarmed) {
      status = "timeout";
      kill(-pid, SIGKILL);
    }
  }
  *ns = now_ns() - t0;
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);
  const char *cls = classify(wstatus, oom_before, code);
  cleanup_group(pid);
  return status ? status : cls;
}

static void do_time(char **f, int n) {
  if (n < 12) { printf("error\tbad time request\n"); return; }
  const char *id = f[1], *mode = f[2];
  long timeout_ms = atol(f[3]);
  int warmup = atoi(f[4]), runs = atoi(f[5]);
  uint64_t long_ns = (uint64_t)atol(f[6]) * 1000000ull;
  int long_runs = atoi(f[7]);
  uint64_t vlong_ns = (uint64_t)atol(f[8]) * 1000000ull;
  int vlong_runs = atoi(f[9]);
  int argc = atoi(f[10]);
  if (argc > n - 11) argc = n - 11;
  char *argv[MAX_FIELDS + 4];
  if (build_argv(mode, argc, f + 11, argv) != 0) { printf("done\t%s\tspawn-error\t-1\t\n", id); return; }
  int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
  uint64_t *samples = calloc(runs > 0 ? runs : 1, sizeof *samples);
  int got = 0, code = 0;
  const char *status = "exit";
  for (int i = 0; i < warmup + runs && got < runs; i++) {
    uint64_t ns = 0;
    status = sample(argv, devnull, timeout_ms, &code, &ns);
    if (strcmp(status, "exit") != 0 || code != 0) break;
    if (ns > vlong_ns && runs > vlong_runs) runs = vlong_runs;
    else if (ns > long_ns && runs > long_runs) runs = long_runs;
    if (i >= warmup) samples[got++] = ns;
  }
  close(devnull);
  printf("done\t%s\t%s\t%d\t", id, status, code);
  for (int i = 0; i < got; i++) printf(i ? ",%llu" : "%llu", (unsigned long long)samples[i]);
  printf("\n");
  free(samples);
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, NULL); /* no SA_RESTART: waitpid must return EINTR */
  signal(SIGPIPE, SIG_IGN);
  setvbuf(stdout, NULL, _IOLBF, 0);
  printf("ready\n");
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  char *fields[MAX_FIELDS + 16];
  while ((len = getline(&line, &cap, stdin)) > 0) {
    if (line[len - 1] == '\n') line[len - 1] = 0;
    int n = split(line, fields, MAX_FIELDS + 16);
    if (strcmp(fields[0], "exec") == 0) do_exec(fields, n);
    else if (strcmp(fields[0], "time") == 0) do_time(fields, n);
    else if (strcmp(fields[0], "quit") == 0) break;
    else printf("error\tunknown request %s\n", fields[0]);
    fflush(stdout);
  }
  return 0;
}
