/*
 * Running the participant's commands: once (exec) or repeatedly and timed
 * (time). Each run gets /dev/null as stdin and a pipe this process drains as
 * stdout and stderr, the same for check and timed runs; its exit is seen
 * through a signalfd, and after it every other process in the container ends.
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
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "agent.h"

extern char **environ;

#define BUSYBOX "/.aocbench/busybox"
/* Output a command may still print after it exited (a child holding the pipe). */
#define EXIT_GRACE_NS 200000000ull
/* Distinct timed-run outputs kept for the host to check, in multiples of OUTCAP. */
#define KEEP_OUTCAPS 8

static int devnull_fd = -1;
static int sigchld_fd = -1;
/* kill(-1) is only safe as PID 1 of a container: run natively (bench/) it would reach the whole host. */
static int is_init = 0;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Where this process's cgroup v2 counts OOM kills when it is not the mount's root (the VM guest's sandbox cgroup). */
static char own_events[512];

/* The kernel's count of OOM kills in this sandbox's memory cgroup (v1, v2, or v2 below the root). */
static long oom_kills(void) {
  const char *files[] = {"/sys/fs/cgroup/memory/memory.oom_control", "/sys/fs/cgroup/memory.events", own_events};
  for (int i = 0; i < 3; i++) {
    if (!files[i][0]) continue;
    FILE *f = fopen(files[i], "re");
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
  if (argc < 1) return -1;
  if (strcmp(mode, "sh") == 0) {
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
  for (int i = 0; i < argc; i++) argv[i] = args[i];
  argv[argc] = NULL;
  return 0;
}

static int spawn(char **argv, int out_fd, pid_t *pid) {
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t at;
  posix_spawn_file_actions_init(&fa);
  posix_spawnattr_init(&at);
  posix_spawn_file_actions_adddup2(&fa, devnull_fd, 0);
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

/*
 * A file without a #! line (a plain shell script) cannot be exec'd, but a
 * shell runs it as a script, and AoCBench hands every command to a shell:
 * on ENOEXEC the same argv runs as `sh FILE ARG...`. The argv is rewritten
 * in place of the caller's, so the timed runs that follow go straight there.
 */
static char *fallback_argv[MAX_FIELDS + 8];

static int spawn_cmd(char ***argvp, int out_fd, pid_t *pid) {
  int rc = spawn(*argvp, out_fd, pid);
  if (rc != ENOEXEC || *argvp == fallback_argv) return rc;
  char **argv = *argvp;
  const char *sh = find_shell();
  int i = 0;
  fallback_argv[i++] = (char *)(sh ? sh : BUSYBOX);
  if (!sh) fallback_argv[i++] = "sh";
  for (int j = 0; argv[j] && i < MAX_FIELDS + 6; j++) fallback_argv[i++] = argv[j];
  fallback_argv[i] = NULL;
  *argvp = fallback_argv;
  return spawn(fallback_argv, out_fd, pid);
}

static void drain_sigchld(void) {
  struct signalfd_siginfo si;
  while (read(sigchld_fd, &si, sizeof si) == sizeof si) {}
}

/*
 * Ends every process but this one (kill(-1) from PID 1 reaches the whole
 * container) and reaps them all: a daemon a step started, in its own session
 * or not, cannot outlive the step and cannot serve the next run. Outside a
 * container only the command's process group is ended.
 */
static void end_everything(pid_t group) {
  if (is_init) kill(-1, SIGKILL);
  else kill(-group, SIGKILL);
  for (;;) {
    pid_t w = waitpid(-1, NULL, is_init ? 0 : WNOHANG);
    if (w > 0 || (w < 0 && errno == EINTR)) continue;
    break;
  }
  drain_sigchld();
}

/*
 * The host's end of stdin hung up while a command ran: the runner is gone
 * (killed), nobody will read a result, and a sandbox left running would hold
 * its memory and CPUs until a later sweep. Everything ends now.
 */
static void orphaned(pid_t group) {
  kill(-group, SIGKILL);
  end_everything(group);
  exit(0);
}

/*
 * A command that failed while the sandbox's OOM killer fired ran out of
 * memory, whichever of its processes was killed (a shell reports a killed
 * child as exit 137); one that succeeded anyway keeps its exit.
 */
static const char *classify(int wstatus, long oom_before, int *code) {
  int failed = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) != 0 : 1;
  *code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
  if (failed && oom_before >= 0 && oom_kills() > oom_before) return "oom";
  return WIFEXITED(wstatus) ? "exit" : "signal";
}

struct run {
  const char *status;
  int code;
  uint64_t wall_ns;
  char *out; /* at most cap bytes */
  size_t len;
  int truncated;
  const char *changed; /* after `mark`: what the run changed that could not be put back */
  struct usage usage;  /* peak memory and CPU time (meter.c) */
};

/*
 * One run: spawn with stdin /dev/null and stdout+stderr into a pipe that this
 * process drains, until the command exits (its wall time ends there), then a
 * short grace for output still in flight, then everything is ended.
 * The exit is seen through a signalfd, so no polling interval adds to the time.
 */
static void run_once(char ***argvp, long timeout_ms, size_t cap, int kill_on_cap, struct run *r) {
  char **argv = *argvp;
  r->status = NULL;
  r->code = -1;
  r->wall_ns = 0;
  r->len = 0;
  r->truncated = 0;
  r->changed = NULL;
  memset(&r->usage, 0, sizeof r->usage);
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) { r->status = "spawn-error"; r->code = 127; return; }
  long oom_before = oom_kills();
  drain_sigchld();
  struct meter_mark mark;
  meter_start(&mark);
  long main_maxrss = 0;
  pid_t pid;
  uint64_t t0 = now_ns();
  int rc = spawn_cmd(argvp, p[1], &pid);
  argv = *argvp;
  /*
   * Our copy of the write end stays open until the command has exited: its
   * exit then wakes us once (SIGCHLD), not twice (EOF on the pipe first),
   * which would add a context switch to every timed sample.
   */
  int wr = p[1];
  if (rc != 0) {
    close(wr);
    int n = snprintf(r->out, cap, "aocbench: cannot start %s: %s\n", argv[0], strerror(rc));
    r->len = n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap;
    r->status = "spawn-error";
    r->code = 127;
    close(p[0]);
    meter_end(&mark, 0, &r->usage);
    return;
  }
  int rd = p[0], exited = 0, wstatus = 0;
  uint64_t deadline = t0 + (uint64_t)timeout_ms * 1000000ull, exited_at = 0;
  char chunk[65536];
  for (;;) {
    uint64_t now = now_ns();
    if (!exited && now >= deadline) {
      r->status = "timeout";
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {}
      r->wall_ns = now - t0;
      break;
    }
    if (exited && (rd < 0 || now - exited_at > EXIT_GRACE_NS)) break;
    uint64_t until = exited ? exited_at + EXIT_GRACE_NS : deadline;
    int wait_ms = until > now ? (int)((until - now) / 1000000ull) + 1 : 0;
    /* stdin with no events asked: only its hang-up is reported (a request never comes during a run). */
    struct pollfd pf[3] = {{rd, POLLIN, 0}, {sigchld_fd, POLLIN, 0}, {0, 0, 0}};
    if (poll(pf, 3, wait_ms) < 0 && errno != EINTR) break;
    if (pf[2].revents & (POLLHUP | POLLERR)) orphaned(pid);
    if (pf[1].revents) {
      drain_sigchld();
      int st;
      pid_t w;
      struct rusage ru;
      while ((w = wait4(-1, &st, WNOHANG, &ru)) > 0) {
        if (w == pid) {
          main_maxrss = ru.ru_maxrss;
          exited_at = now_ns();
          r->wall_ns = exited_at - t0;
          wstatus = st;
          exited = 1;
          close(wr);
          wr = -1;
        }
      }
    }
    if (rd >= 0 && pf[0].revents) {
      ssize_t k = read(rd, chunk, sizeof chunk);
      if (k <= 0) {
        if (k < 0 && errno == EINTR) continue;
        close(rd);
        rd = -1;
      } else {
        size_t keep = (size_t)k;
        if (r->len + keep > cap) { keep = cap - r->len; r->truncated = 1; }
        memcpy(r->out + r->len, chunk, keep);
        r->len += keep;
        if (r->truncated && kill_on_cap && !r->status) {
          r->status = "output-limit";
          kill(-pid, SIGKILL);
        }
      }
    }
  }
  if (rd >= 0) close(rd);
  if (wr >= 0) close(wr);
  const char *cls = classify(wstatus, oom_before, &r->code);
  if (!r->status) r->status = cls;
  end_everything(pid);
  meter_end(&mark, main_maxrss, &r->usage);
  r->changed = state_restore();
}

static void send_out(const char *id, const char *buf, size_t len) {
  printf("out\t%s\t%zu\n", id, len);
  fwrite(buf, 1, len, stdout);
}

void do_exec(char **f, int n) {
  if (n < 8) { printf("error\tbad exec request\n"); return; }
  const char *id = f[1], *mode = f[2];
  long timeout_ms = atol(f[3]);
  size_t cap = (size_t)atol(f[4]);
  int kill_on_cap = strcmp(f[5], "kill") == 0;
  int argc = atoi(f[6]);
  if (argc > n - 7) argc = n - 7;
  char *argv[MAX_FIELDS + 4];
  struct run r;
  r.out = malloc(cap + 256);
  if (!r.out) { reply_error(id, "out of memory for the output buffer", NULL); return; }
  if (build_argv(mode, argc, f + 7, argv) != 0) {
    r.status = "spawn-error"; r.code = -1; r.len = 0; r.wall_ns = 0; r.truncated = 0; r.changed = NULL;
  } else {
    char **av = argv;
    run_once(&av, timeout_ms, cap, kill_on_cap, &r);
  }
  send_out(id, r.out, r.len);
  printf("done\t%s\t%s\t%d\t%llu\t%d\t", id, r.status, r.code, (unsigned long long)r.wall_ns, r.truncated);
  if (r.changed) put_field(r.changed);
  putchar('\n');
  free(r.out);
}

struct kept { char *buf; size_t len; };

/* Index of this output among those kept, keeping it when new; -1 when over the budget. */
static int keep_output(struct kept *k, int *nk, size_t *kept_bytes, size_t budget, const char *out, size_t len) {
  for (int i = 0; i < *nk; i++) {
    if (k[i].len == len && memcmp(k[i].buf, out, len) == 0) return i;
  }
  if (*kept_bytes + len > budget) return -1;
  char *copy = malloc(len ? len : 1);
  if (!copy) return -1;
  memcpy(copy, out, len);
  k[*nk].buf = copy;
  k[*nk].len = len;
  *kept_bytes += len;
  return (*nk)++;
}

void do_time(char **f, int n) {
  if (n < 14) { printf("error\tbad time request\n"); return; }
  const char *id = f[1], *mode = f[2];
  long timeout_ms = atol(f[3]);
  size_t cap = (size_t)atol(f[4]);
  int warmup = atoi(f[5]), runs = atoi(f[6]);
  uint64_t long_ns = (uint64_t)atol(f[7]) * 1000000ull;
  int long_runs = atoi(f[8]);
  uint64_t vlong_ns = (uint64_t)atol(f[9]) * 1000000ull;
  int vlong_runs = atoi(f[10]);
  uint64_t prior_ns = (uint64_t)atoll(f[11]);
  int argc = atoi(f[12]);
  if (argc > n - 13) argc = n - 13;
  char *argv[MAX_FIELDS + 4];
  if (warmup < 0) warmup = 0;
  if (runs < 1) runs = 1;
  /* The one place the run count is cut: a slow check run (PRIOR) already says how long a run takes. */
  if (prior_ns > long_ns) warmup = 0;
  if (prior_ns > vlong_ns && runs > vlong_runs) runs = vlong_runs;
  else if (prior_ns > long_ns && runs > long_runs) runs = long_runs;
  if (build_argv(mode, argc, f + 13, argv) != 0) { printf("done\t%s\tspawn-error\t-1\t\t\n", id); return; }
  int total = warmup + runs;
  char **run_argv = argv;
  uint64_t *samples = calloc(runs, sizeof *samples);
  struct usage *used = calloc(runs, sizeof *used);
  /* One more than the runs: a run that fell back to a shell is repeated (spawn_cmd). */
  int *which = calloc(total + 1, sizeof *which);
  struct kept *kept = calloc(total + 1, sizeof *kept);
  struct run r;
  r.out = malloc(cap + 256);
  if (!samples || !used || !which || !kept || !r.out) { reply_error(id, "out of memory for timing", NULL); return; }
  int got = 0, done_runs = 0, nk = 0, code = 0;
  size_t kept_bytes = 0, budget = cap * KEEP_OUTCAPS;
  const char *status = "exit", *changed = NULL;
  for (int i = 0; i < warmup + runs && got < runs; i++) {
    char **before = run_argv;
    run_once(&run_argv, timeout_ms, cap, 1, &r);
    /* The run that found out the file needs a shell paid for a failed exec: it counts as a warm-up. */
    which[done_runs++] = keep_output(kept, &nk, &kept_bytes, budget, r.out, r.len);
    if (r.changed) { status = r.status; code = r.code; changed = r.changed; break; }
    if (run_argv != before && r.status && strcmp(r.status, "exit") == 0 && r.code == 0) { i--; continue; }
    status = r.status;
    code = r.code;
    if (strcmp(status, "exit") != 0 || code != 0) break;
    uint64_t ns = r.wall_ns;
    if (ns > vlong_ns && runs > vlong_runs) runs = vlong_runs;
    else if (ns > long_ns && runs > long_runs) runs = long_runs;
    if (i >= warmup) { used[got] = r.usage; samples[got++] = ns; }
  }
  for (int i = 0; i < nk; i++) send_out(id, kept[i].buf, kept[i].len);
  printf("done\t%s\t%s\t%d\t", id, status, code);
  for (int i = 0; i < got; i++) printf(i ? ",%llu" : "%llu", (unsigned long long)samples[i]);
  putchar('\t');
  for (int i = 0; i < done_runs; i++) printf(i ? ",%d" : "%d", which[i]);
  putchar('\t');
  if (changed) put_field(changed);
  printf("\t%s\t", meter_kind());
  for (int i = 0; i < got; i++) printf(i ? ",%ld" : "%ld", used[i].peak_kb);
  putchar('\t');
  for (int i = 0; i < got; i++) printf(i ? ",%ld" : "%ld", used[i].user_us);
  putchar('\t');
  for (int i = 0; i < got; i++) printf(i ? ",%ld" : "%ld", used[i].sys_us);
  putchar('\n');
  for (int i = 0; i < nk; i++) free(kept[i].buf);
  free(kept);
  free(used);
  free(which);
  free(samples);
  free(r.out);
}

/* fd 3, when the VM guest's init opened its shell port there for an operator's shell. */
#define SHELL_FD 3

/*
 * shell ID: an interactive shell on the shell port, for `aocbench shell` in a
 * VM (Docker uses `docker exec` instead); the reply comes when it ends.
 */
void do_shell(char **f, int n) {
  if (n < 2) { printf("error\tbad shell request\n"); return; }
  if (fcntl(SHELL_FD, F_GETFD) < 0) { reply_error(f[1], "no shell port in this sandbox", NULL); return; }
  const char *sh = find_shell();
  char *argv[] = {(char *)(sh ? sh : BUSYBOX), sh ? "-i" : "sh", sh ? NULL : "-i", NULL};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  for (int fd = 0; fd <= 2; fd++) posix_spawn_file_actions_adddup2(&fa, SHELL_FD, fd);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_t at;
  posix_spawnattr_init(&at);
  posix_spawnattr_setsigmask(&at, &none);
  posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK);
  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0], &fa, &at, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&at);
  if (rc != 0) { reply_error(f[1], "cannot start a shell", strerror(rc)); return; }
  while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
  end_everything(pid);
  /* The port stays open on the host side: this line tells the operator's relay the shell is over. */
  static const char ended[] = "\n\004aocbench-shell-ended\n";
  if (write(SHELL_FD, ended, sizeof ended - 1) < 0) {}
  printf("done\t%s\tok\n", f[1]);
}

/* Opens /dev/null before any participant code can replace it, and the SIGCHLD signalfd. */
int run_setup(void) {
  is_init = getpid() == 1;
  fcntl(SHELL_FD, F_SETFD, FD_CLOEXEC); /* the participant's processes never get the shell port */
  FILE *cg = fopen("/proc/self/cgroup", "re");
  char line[400];
  while (cg && fgets(line, sizeof line, cg)) {
    if (strncmp(line, "0::/", 4) != 0 || line[4] == '\n') continue;
    line[strcspn(line, "\n")] = 0;
    snprintf(own_events, sizeof own_events, "/sys/fs/cgroup%s/memory.events", line + 3);
  }
  if (cg) fclose(cg);
  meter_setup();
  devnull_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL);
  sigchld_fd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
  return devnull_fd < 0 || sigchld_fd < 0 ? -1 : 0;
}
