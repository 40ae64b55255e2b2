/*
 * What one run cost besides its wall time, measured by the kernel: the peak
 * memory of the run's whole process tree, and the CPU time of every process
 * it started.
 *
 * Peak memory comes from a memory cgroup's high-water mark (cgroup v1
 * memory.max_usage_in_bytes) of a cgroup that holds the sandbox: writing "0"
 * resets it to the usage of that moment, so the run's peak is the mark after
 * it minus the usage before it, and the agent's own memory (and the page cache
 * already there) is not counted. A forking solution counts all its processes,
 * together, as the kernel charges them. The counter reaches the agent as an
 * open file: fd 4 from a VM guest's init, or in Docker a file bound from the
 * host's cgroup (owned by another user, mode 0600) that only the agent can
 * open, while it still holds CAP_DAC_OVERRIDE. The participant's processes,
 * with no capability, can neither open it nor inherit the descriptor.
 *
 * Without the counter (cgroup v2 hosts, a remote Docker) the peak is the
 * largest single process's (ru_maxrss of the run's main process, which
 * includes the children it waited for), and the reply says so.
 *
 * CPU time: the user and system time of every process reaped during the run,
 * from getrusage(RUSAGE_CHILDREN) before and after it; the agent is PID 1 and
 * reaps everything the run started, orphans included.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "agent.h"

#define METER_FD 4
#define METER_PATH "/.aocbench-meter"
#define CGROUP_SUPER_MAGIC 0x27e0eb

static int meter_fd = -1;

/* Only a file of a cgroup file system counts as the meter: fd 4 may be anything outside a sandbox. */
static int is_cgroup_file(int fd) {
  struct statfs sf;
  return fstatfs(fd, &sf) == 0 && sf.f_type == CGROUP_SUPER_MAGIC;
}

void meter_setup(void) {
  if (fcntl(METER_FD, F_GETFD) >= 0 && is_cgroup_file(METER_FD)) {
    fcntl(METER_FD, F_SETFD, FD_CLOEXEC);
    meter_fd = METER_FD;
    return;
  }
  int fd = open(METER_PATH, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return;
  /* Owned by the user the participant's code runs as, that code could reset it: then no meter. */
  struct stat st;
  uid_t runs_as = the_user.set ? the_user.uid : 0;
  if (!is_cgroup_file(fd) || fstat(fd, &st) != 0 || st.st_uid == runs_as) { close(fd); return; }
  meter_fd = fd;
}

const char *meter_kind(void) { return meter_fd >= 0 ? "cgroup" : "rusage"; }

static long long read_counter(void) {
  char buf[32];
  ssize_t n = pread(meter_fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return -1;
  buf[n] = 0;
  return atoll(buf);
}

static long tv_us(struct timeval t) { return (long)t.tv_sec * 1000000L + (long)t.tv_usec; }

void meter_start(struct meter_mark *m) {
  m->base = -1;
  if (meter_fd >= 0 && pwrite(meter_fd, "0", 1, 0) == 1) m->base = read_counter();
  getrusage(RUSAGE_CHILDREN, &m->children);
}

void meter_end(const struct meter_mark *m, long main_maxrss_kb, struct usage *u) {
  struct rusage after;
  getrusage(RUSAGE_CHILDREN, &after);
  u->user_us = tv_us(after.ru_utime) - tv_us(m->children.ru_utime);
  u->sys_us = tv_us(after.ru_stime) - tv_us(m->children.ru_stime);
  long long peak = m->base >= 0 ? read_counter() : -1;
  if (peak >= 0) u->peak_kb = peak > m->base ? (long)((peak - m->base) / 1024) : 0;
  else u->peak_kb = main_maxrss_kb;
}
