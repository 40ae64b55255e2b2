/*
 * The state every run starts from: `mark`, then a restore after every run.
 *
 * Why: no run may leave anything a later run can use (an answer saved by the
 * untimed check run, or by one timed run for the next), so that no timed run
 * is faster than the work it does. Once runonce, prerun and the input are
 * done, `mark` records every entry of every file system the participant's
 * processes could write (the container's own, its volumes, tmpfs mounts).
 * After each run, state_restore() walks them again:
 *   - what the run created is removed (a new directory with all below it);
 *   - times a run can move without writing (a directory's, an access time)
 *     are set back;
 *   - SysV IPC objects (shared memory, semaphores, message queues) are removed;
 *   - an entry that was there before and was written, replaced or removed
 *     cannot be put back: the run fails, naming it.
 * Read-only file systems, /proc, /sys, devpts and device nodes are not
 * walked or compared. Only lstat, unlink, rmdir and utimensat touch the
 * participant's files: no link is followed, no file is opened or read.
 * Every process of the run has ended before this runs (run.c), so nothing
 * races the walk.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>
#include "agent.h"

/* More entries than this are not guarded: the day fails instead of running unguarded. */
#define MAX_ENTRIES 4000000u
/* Cleaning up after one run may take this long (a run that wrote millions of files fails). */
#define RESTORE_LIMIT_NS (60ull * 1000000000ull)
#define MAX_DEPTH 256
#define PATH_CAP 8192

struct entry {
  char *path;
  dev_t dev;
  ino_t ino;
  mode_t mode;
  uid_t uid;
  gid_t gid;
  off_t size;
  struct timespec atime, mtime, ctime;
  unsigned gen;
};

static struct entry *table;
static size_t table_cap, table_count;
static int marked;
static unsigned gen;
static uint64_t deadline_ns;
static char problem[1024];
/* Disk a run's leftovers took (removed after it), and the most any run since `mark` left: counted against the disk limit. */
static unsigned long long left_now, left_max;
static enum { MARK, RESTORE } phase;

static uint64_t clock_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The first thing that went wrong is the one reported. */
static void fail(const char *what, const char *path) {
  if (!problem[0]) snprintf(problem, sizeof problem, "%s %s", what, path);
}

static uint64_t hash(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static struct entry *slot(const char *path) {
  size_t i = hash(path) & (table_cap - 1);
  while (table[i].path && strcmp(table[i].path, path) != 0) i = (i + 1) & (table_cap - 1);
  return &table[i];
}

static struct entry *lookup(const char *path) {
  if (!table_cap) return NULL;
  struct entry *e = slot(path);
  return e->path ? e : NULL;
}

static int grow(void) {
  size_t cap = table_cap ? table_cap * 2 : 1 << 16;
  struct entry *old = table;
  size_t old_cap = table_cap;
  table = calloc(cap, sizeof *table);
  if (!table) { table = old; return -1; }
  table_cap = cap;
  for (size_t i = 0; i < old_cap; i++) {
    if (old[i].path) *slot(old[i].path) = old[i];
  }
  free(old);
  return 0;
}

static void fill(struct entry *e, const struct stat *st) {
  e->dev = st->st_dev;
  e->ino = st->st_ino;
  e->mode = st->st_mode;
  e->uid = st->st_uid;
  e->gid = st->st_gid;
  e->size = st->st_size;
  e->atime = st->st_atim;
  e->mtime = st->st_mtim;
  e->ctime = st->st_ctim;
  e->gen = gen;
}

static void record(const char *path, const struct stat *st) {
  struct entry *e = lookup(path);
  if (!e) {
    if (table_count >= MAX_ENTRIES) { fail("more files than aocbench can guard between runs, at", path); return; }
    if ((table_count + 1) * 2 > table_cap && grow() != 0) { fail("out of memory recording", path); return; }
    e = slot(path);
    e->path = strdup(path);
    if (!e->path) { fail("out of memory recording", path); return; }
    table_count++;
  }
  fill(e, st);
}

static void forget_all(void) {
  for (size_t i = 0; i < table_cap; i++) free(table[i].path);
  free(table);
  table = NULL;
  table_cap = table_count = 0;
}

static int same_time(struct timespec a, struct timespec b) {
  return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

/* File systems a run cannot write, or whose entries are not files: not walked. */
static int skipped_fs(int fd) {
  struct statvfs v;
  if (fstatvfs(fd, &v) == 0 && (v.f_flag & ST_RDONLY)) return 1;
  struct statfs s;
  if (fstatfs(fd, &s) != 0) return 1;
  switch ((unsigned long)s.f_type) {
    case 0x9fa0:     /* proc */
    case 0x62656572: /* sysfs */
    case 0x1cd1:     /* devpts */
    case 0x27e0eb:   /* cgroup */
    case 0x63677270: /* cgroup2 */
    case 0x64626720: /* debugfs */
    case 0x73636673: /* securityfs */
    case 0xcafe4a11: /* bpf */
      return 1;
  }
  return 0;
}

static int timed_out(void) {
  if (phase == RESTORE && clock_ns() > deadline_ns) {
    fail("cleaning up after the run took longer than 60 s (it left too many files), at", "/");
    return 1;
  }
  return 0;
}

static int join(char *path, size_t len, const char *name) {
  size_t n = strlen(name);
  if (len + 1 + n >= PATH_CAP) return -1;
  path[len] = '/';
  memcpy(path + len + 1, name, n + 1);
  return 0;
}

/* Removes NAME (in DFD), which the run created, with everything below it. */
static void remove_new(int dfd, const char *name, const struct stat *st, char *path, int depth) {
  left_now += (unsigned long long)st->st_blocks * 512ull;
  if (!S_ISDIR(st->st_mode)) {
    if (unlinkat(dfd, name, 0) != 0 && errno != ENOENT) fail("cannot remove what the run left:", path);
    return;
  }
  /* A directory the run made unreadable or unwritable is its own: it is made ours again. */
  if ((st->st_mode & 0700) != 0700) fchmodat(dfd, name, 0700, 0);
  int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) { fail("cannot remove what the run left:", path); return; }
  if (depth > MAX_DEPTH) { close(fd); fail("the run left directories nested too deep to remove, at", path); return; }
  DIR *d = fdopendir(fd);
  if (!d) { close(fd); fail("cannot remove what the run left:", path); return; }
  struct dirent *de;
  while ((de = readdir(d)) && !timed_out()) {
    if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
    struct stat cst;
    if (fstatat(fd, de->d_name, &cst, AT_SYMLINK_NOFOLLOW) != 0) continue;
    size_t clen = strlen(path);
    int fits = join(path, clen, de->d_name) == 0;
    remove_new(fd, de->d_name, &cst, path, depth + 1);
    (void)fits;
    path[clen] = 0;
  }
  closedir(d);
  if (unlinkat(dfd, name, AT_REMOVEDIR) != 0 && errno != ENOENT) fail("cannot remove what the run left:", path);
}

/* Sets a time the run moved without writing back to what was recorded; the entry then holds the new ctime. */
static void put_back_times(int dfd, const char *name, struct entry *e, int both) {
  struct timespec ts[2] = {e->atime, both ? e->mtime : (struct timespec){0, UTIME_OMIT}};
  if (utimensat(dfd, name, ts, AT_SYMLINK_NOFOLLOW) != 0) return; /* not ours to set: nor was it the run's */
  struct stat st;
  if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) e->ctime = st.st_ctim;
}

static void walk(int dfd, char *path, size_t len, dev_t dev, int depth);

/* One entry of a directory being walked: recorded (MARK) or compared and put back (RESTORE). */
static void visit(int dfd, const char *name, char *path, size_t len, dev_t dev, int depth) {
  struct stat st;
  if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) return;
  if (join(path, len, name) != 0) {
    if (phase == MARK) fail("a path too long to guard:", path);
    else remove_new(dfd, name, &st, path, depth);
    path[len] = 0;
    return;
  }
  size_t clen = strlen(path);
  struct entry *e = NULL;
  if (phase == MARK) {
    record(path, &st);
  } else {
    e = lookup(path);
    if (!e) { remove_new(dfd, name, &st, path, depth); path[len] = 0; return; }
    e->gen = gen;
    if (e->ino != st.st_ino || e->dev != st.st_dev || (e->mode & S_IFMT) != (st.st_mode & S_IFMT)) {
      fail("the run replaced", path);
      path[len] = 0;
      return;
    }
    if (e->mode != st.st_mode || e->uid != st.st_uid || e->gid != st.st_gid) fail("the run changed the mode of", path);
  }
  if (S_ISDIR(st.st_mode)) {
    if (depth < MAX_DEPTH) {
      int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd >= 0) {
        if (st.st_dev != dev && skipped_fs(fd)) close(fd);
        else walk(fd, path, clen, st.st_dev, depth + 1);
      }
    }
    /* Reading a directory may move its access time: what is recorded is what the next run will see. */
    struct stat after;
    if (phase == MARK && fstatat(dfd, name, &after, AT_SYMLINK_NOFOLLOW) == 0) record(path, &after);
    else if (e && fstatat(dfd, name, &after, AT_SYMLINK_NOFOLLOW) == 0 && (!same_time(after.st_mtim, e->mtime) || !same_time(after.st_atim, e->atime))) put_back_times(dfd, name, e, 1);
  } else if (e && !S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode)) {
    if (e->size != st.st_size || !same_time(e->mtime, st.st_mtim) || !same_time(e->ctime, st.st_ctim)) fail("the run changed", path);
    else if (!same_time(e->atime, st.st_atim)) put_back_times(dfd, name, e, 0);
  }
  path[len] = 0;
}

/* DFD: an open directory at PATH (length LEN, "" for /), on device DEV; closed here. */
static void walk(int dfd, char *path, size_t len, dev_t dev, int depth) {
  DIR *d = fdopendir(dfd);
  if (!d) { close(dfd); return; }
  struct dirent *de;
  while ((de = readdir(d)) && !timed_out()) {
    if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
    visit(dfd, de->d_name, path, len, dev, depth);
  }
  closedir(d);
}

/* Every SysV IPC object: none survives a run, and none is there when a run starts. */
static void remove_ipc(void) {
  const char *files[] = {"/proc/sysvipc/shm", "/proc/sysvipc/sem", "/proc/sysvipc/msg"};
  for (int k = 0; k < 3; k++) {
    FILE *f = fopen(files[k], "re");
    if (!f) continue;
    char line[512];
    if (!fgets(line, sizeof line, f)) { fclose(f); continue; }
    long key, id;
    while (fgets(line, sizeof line, f)) {
      if (sscanf(line, "%ld %ld", &key, &id) != 2) continue;
      if (k == 0) shmctl((int)id, IPC_RMID, NULL);
      else if (k == 1) semctl((int)id, 0, IPC_RMID);
      else msgctl((int)id, IPC_RMID, NULL);
    }
    fclose(f);
  }
}

/* The root itself is an entry too: a run could move its times. */
static void walk_root(void) {
  static char path[PATH_CAP];
  path[0] = 0;
  int fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) { fail("cannot read", "/"); return; }
  struct stat st;
  if (fstat(fd, &st) != 0 || skipped_fs(fd)) { close(fd); return; }
  walk(fd, path, 0, st.st_dev, 0);
  if (lstat("/", &st) != 0) return;
  if (phase == MARK) { record("/", &st); return; }
  struct entry *e = lookup("/");
  if (!e) return;
  e->gen = gen;
  if (!same_time(st.st_mtim, e->mtime) || !same_time(st.st_atim, e->atime)) put_back_times(AT_FDCWD, "/", e, 1);
}

/* mark ID -> done ID ok ENTRIES | done ID error MESSAGE */
void do_mark(char **f, int n) {
  if (n < 2) { printf("error\tbad mark request\n"); return; }
  forget_all();
  problem[0] = 0;
  gen = 0;
  phase = MARK;
  remove_ipc();
  walk_root();
  if (problem[0]) {
    forget_all();
    marked = 0;
    reply_error(f[1], "cannot record the sandbox's state", problem);
    return;
  }
  marked = 1;
  left_max = 0;
  printf("done\t%s\tok\t%zu\n", f[1], table_count);
}

const char *state_restore(void) {
  if (!marked) return NULL;
  problem[0] = 0;
  left_now = 0;
  gen++;
  phase = RESTORE;
  deadline_ns = clock_ns() + RESTORE_LIMIT_NS;
  walk_root();
  remove_ipc();
  if (left_now > left_max) left_max = left_now;
  for (size_t i = 0; i < table_cap && !problem[0]; i++) {
    if (table[i].path && table[i].gen != gen) fail("the run removed", table[i].path);
  }
  return problem[0] ? problem : NULL;
}

unsigned long long state_left_max(void) {
  return left_max;
}

/* The host wrote PATH (a matrix input) after `mark`: it and its parents are recorded as they are now. */
void state_wrote(const char *path) {
  if (!marked) return;
  char p[PATH_CAP];
  snprintf(p, sizeof p, "%s", path);
  for (;;) {
    struct stat st;
    if (lstat(p, &st) == 0) record(p, &st);
    char *slash = strrchr(p, '/');
    if (!slash || slash == p) break;
    *slash = 0;
  }
}
