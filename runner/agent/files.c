/*
 * Files the host sends into the sandbox: the code copy (tree) and the input
 * (put), written here, inside the container, where a link a participant left
 * can only lead into its own sandbox; and the disk use of the sandbox (du).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include "agent.h"

/* A `du` walk stops counting here: a directory that big is over any limit. */
#define DU_MAX_ENTRIES 2000000L

/* Reads exactly len bytes of a request's payload into fd (or drops them when fd < 0). */
static int copy_payload(int fd, unsigned long long len, int *write_failed) {
  char buf[65536];
  while (len > 0) {
    size_t want = len < sizeof buf ? (size_t)len : sizeof buf;
    size_t got = fread(buf, 1, want, stdin);
    if (got == 0) return -1;
    if (fd >= 0 && !*write_failed) {
      for (size_t off = 0; off < got;) {
        ssize_t w = write(fd, buf + off, got - off);
        if (w < 0) {
          if (errno == EINTR) continue;
          *write_failed = errno;
          break;
        }
        off += (size_t)w;
      }
    }
    len -= got;
  }
  return 0;
}

static int mkdirs(char *path, mode_t mode) {
  for (char *p = path + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    int rc = mkdir(path, mode);
    *p = '/';
    if (rc != 0 && errno != EEXIST) return -1;
  }
  if (mkdir(path, mode) != 0 && errno != EEXIST) return -1;
  return 0;
}

static int mkparents(const char *file) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", file);
  char *slash = strrchr(dir, '/');
  if (!slash || slash == dir) return 0;
  *slash = 0;
  return mkdirs(dir, 0755);
}

/* Writes one file from the payload; returns 0 or an errno, always consuming the payload. */
static int write_file(const char *path, mode_t mode, unsigned long long size, int *stream_broken) {
  int err = 0;
  if (mkparents(path) != 0) err = errno;
  int fd = -1;
  if (!err) {
    unlink(path); /* a link or read-only file left in its place is replaced, not written through */
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0) err = errno;
  }
  if (copy_payload(fd, size, &err) != 0) *stream_broken = 1;
  if (fd >= 0) {
    if (!err && fchmod(fd, mode) != 0) err = errno;
    close(fd);
  }
  return err;
}

/*
 * Hands the directories from ROOT down to PATH's parent, and PATH itself, to
 * the image's user (user.c): the code copy is theirs to read and write, as
 * their checkout was under AoCBench, whoever owned the directories before.
 */
static void own_below(const char *root, const char *path) {
  static char last[8192];
  char dir[8192];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (slash && slash > dir + strlen(root)) {
    *slash = 0;
    if (strcmp(dir, last) != 0) {
      snprintf(last, sizeof last, "%s", dir);
      for (char *p = dir + strlen(root) + 1; (p = strchr(p, '/')); p++) {
        *p = 0;
        own_path(dir);
        *p = '/';
      }
      own_path(dir);
    }
  }
  own_path(path);
}

static int has_dotdot(const char *rel) {
  const char *p = rel;
  while (*p) {
    if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == 0)) return 1;
    p = strchr(p, '/');
    if (!p) break;
    p++;
  }
  return rel[0] == '/';
}

void do_tree(char **f, int n) {
  if (n < 4) { printf("error\tbad tree request\n"); return; }
  char id[64], root[4096];
  snprintf(id, sizeof id, "%s", f[1]);
  snprintf(root, sizeof root, "%s", f[2]);
  long count = atol(f[3]);
  const char *failed = NULL;
  char detail[8400] = "";
  int broken = 0;
  if (mkdirs(root, 0755) != 0) {
    failed = "cannot create the code directory";
    snprintf(detail, sizeof detail, "%s: %s", root, strerror(errno));
  } else {
    own_path(root);
  }
  char *line = NULL;
  size_t lcap = 0;
  for (long i = 0; i < count && !broken; i++) {
    ssize_t len = getline(&line, &lcap, stdin);
    if (len <= 0) { broken = 1; break; }
    if (line[len - 1] == '\n') line[len - 1] = 0;
    char *rf[5];
    if (split(line, rf, 5) < 4) { broken = 1; break; }
    mode_t mode = (mode_t)strtol(rf[2], NULL, 8) & 07777;
    unsigned long long size = strtoull(rf[3], NULL, 10);
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", root, rf[1]);
    int err = 0;
    int skip = failed != NULL || has_dotdot(rf[1]);
    if (rf[0][0] == 'f') {
      if (skip) { int dummy = 0; if (copy_payload(-1, size, &dummy) != 0) broken = 1; continue; }
      err = write_file(path, mode, size, &broken);
    } else if (rf[0][0] == 'l') {
      char target[4097];
      if (size >= sizeof target) { broken = 1; break; }
      if (fread(target, 1, size, stdin) != size) { broken = 1; break; }
      target[size] = 0;
      if (skip) continue;
      if (mkparents(path) != 0) err = errno;
      else {
        unlink(path);
        if (symlink(target, path) != 0) err = errno;
      }
    } else if (rf[0][0] == 'd') {
      if (skip) continue;
      if (mkdirs(path, 0755) != 0 || chmod(path, mode) != 0) err = errno;
    }
    if (!err && !skip) own_below(root, path);
    if (err && !failed) {
      failed = "cannot write the code copy";
      snprintf(detail, sizeof detail, "%s: %s", path, strerror(err));
    }
  }
  free(line);
  if (broken) { printf("error\ttree stream ended early\n"); fflush(stdout); exit(3); }
  /* The workdir, made before the code copy (by Docker or the guest) as root, is the user's too when it is inside. */
  char cwd[4096];
  size_t rl = strlen(root);
  if (!failed && getcwd(cwd, sizeof cwd) && strncmp(cwd, root, rl) == 0 && cwd[rl] == '/') own_below(root, cwd);
  if (failed) reply_error(id, failed, detail);
  else printf("done\t%s\tok\n", id);
}

void do_put(char **f, int n) {
  if (n < 4) { printf("error\tbad put request\n"); return; }
  char id[64], path[4096];
  snprintf(id, sizeof id, "%s", f[1]);
  snprintf(path, sizeof path, "%s", f[2]);
  unsigned long long size = strtoull(f[3], NULL, 10);
  int broken = 0;
  int err = write_file(path, 0644, size, &broken);
  if (broken) { printf("error\tput stream ended early\n"); fflush(stdout); exit(3); }
  if (err) {
    reply_error(id, path, strerror(err));
  } else {
    state_wrote(path);
    printf("done\t%s\tok\n", id);
  }
}

static unsigned long long du_bytes;
static long du_entries;
static int du_visit(const char *p, const struct stat *st, int type, struct FTW *ftw) {
  (void)p; (void)type; (void)ftw;
  du_bytes += (unsigned long long)st->st_blocks * 512ull;
  return ++du_entries >= DU_MAX_ENTRIES;
}

void do_du(char **f, int n) {
  du_bytes = 0;
  du_entries = 0;
  int capped = 0;
  for (int i = 2; i < n && !capped; i++) {
    if (nftw(f[i], du_visit, 16, FTW_PHYS | FTW_MOUNT) > 0) capped = 1;
  }
  printf("done\t%s\tok\t%llu\t%ld\t%d\t%llu\n", f[1], du_bytes, du_entries, capped, state_left_max());
}

void do_df(char **f, int n) {
  struct statvfs v;
  if (n < 3 || statvfs(f[2], &v) != 0) { reply_error(f[1], "df", n < 3 ? "no path" : strerror(errno)); return; }
  printf("done\t%s\tok\t%llu\n", f[1], (unsigned long long)(v.f_blocks - v.f_bfree) * v.f_frsize);
}
