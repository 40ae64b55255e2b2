/*
 * The image's user (Docker's USER: name, uid, name:group or uid:gid), resolved
 * from the image's own /etc/passwd and /etc/group (the agent's root is the
 * image's), as Docker resolves it; and the one way privileges are given up.
 *
 * The agent starts as root holding a few capabilities (in Docker: CHOWN,
 * DAC_OVERRIDE, FOWNER, SETUID, SETGID, SETPCAP; in a VM guest: all) only to
 * place the code copy and hand it, and the persistence dirs, to that user.
 * Before anything of the participant's runs it becomes that user with no
 * capability, an empty bounding set and no-new-privileges, and every process
 * it starts inherits exactly that.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "agent.h"

struct image_user the_user;

/* A whole decimal number that fits an id; -1 otherwise. */
static long number(const char *s) {
  if (!*s) return -1;
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  return *end || errno || v < 0 || v > INT_MAX ? -1 : v;
}

/* Splits a colon-separated line in place into at most max fields; returns the count. */
static int colons(char *line, char **f, int max) {
  line[strcspn(line, "\n")] = 0;
  int n = 0;
  f[n++] = line;
  for (char *p = line; *p && n < max; p++) {
    if (*p == ':') { *p = 0; f[n++] = p + 1; }
  }
  return n;
}

/* The passwd entry named `u` (or with uid `u` when numeric); 1 when found. */
static int find_passwd(const char *u, struct image_user *out) {
  FILE *f = fopen("/etc/passwd", "re");
  if (!f) return 0;
  char line[1024], *fl[7];
  long want = number(u);
  int found = 0;
  while (!found && fgets(line, sizeof line, f)) {
    if (colons(line, fl, 7) < 7) continue;
    long uid = number(fl[2]), gid = number(fl[3]);
    if (uid < 0 || gid < 0) continue;
    if (strcmp(fl[0], u) != 0 && !(want >= 0 && uid == want)) continue;
    out->uid = (uid_t)uid;
    out->gid = (gid_t)gid;
    snprintf(out->name, sizeof out->name, "%s", fl[0]);
    snprintf(out->home, sizeof out->home, "%s", fl[5]);
    found = 1;
  }
  fclose(f);
  return found;
}

/*
 * Reads /etc/group: with `g` set, the gid of the group named (or numbered) g
 * into *gid (1 when found); else the groups listing `name` as a member become
 * the supplementary groups.
 */
static int scan_groups(const char *g, const char *name, gid_t *gid, struct image_user *out) {
  FILE *f = fopen("/etc/group", "re");
  if (!f) return 0;
  char line[8192], *fl[4];
  long want = g ? number(g) : -1;
  int found = 0;
  while (fgets(line, sizeof line, f)) {
    if (colons(line, fl, 4) < 4) continue;
    long id = number(fl[2]);
    if (id < 0) continue;
    if (g) {
      if (strcmp(fl[0], g) == 0 || (want >= 0 && id == want)) { *gid = (gid_t)id; found = 1; break; }
      continue;
    }
    for (char *m = strtok(fl[3], ","); m && name[0]; m = strtok(NULL, ",")) {
      if (strcmp(m, name) == 0 && out->ngroups < MAX_GROUPS) { out->groups[out->ngroups++] = (gid_t)id; break; }
    }
  }
  fclose(f);
  return found;
}

/*
 * Docker's rules: a name must be in passwd; a uid need not be (then gid 0,
 * home /); an explicit group replaces the primary group and adds no others.
 */
int resolve_user(const char *spec, char *err, size_t errlen) {
  struct image_user *u = &the_user;
  memset(u, 0, sizeof *u);
  snprintf(u->home, sizeof u->home, "/");
  char user[256], *group;
  snprintf(user, sizeof user, "%s", spec);
  group = strchr(user, ':');
  if (group) *group++ = 0;
  if (!find_passwd(user, u)) {
    long uid = number(user);
    if (uid < 0) { snprintf(err, errlen, "unable to find user %s: no matching entries in /etc/passwd", user); return -1; }
    u->uid = (uid_t)uid;
    u->gid = 0;
  }
  if (group && *group) {
    gid_t gid;
    if (scan_groups(group, NULL, &gid, u)) u->gid = gid;
    else if (number(group) >= 0) u->gid = (gid_t)number(group);
    else { snprintf(err, errlen, "unable to find group %s: no matching entries in /etc/group", group); return -1; }
  }
  /* As Docker: the primary group first, then (no group named) every group listing the user. */
  u->groups[u->ngroups++] = u->gid;
  if (!(group && *group)) scan_groups(NULL, u->name, NULL, u);
  for (int i = u->ngroups - 1; i > 0; i--) {
    if (u->groups[i] == u->gid) u->groups[i] = u->groups[--u->ngroups];
  }
  u->set = 1;
  return 0;
}

/* Hands a path the agent placed to the image's user; nothing when the image names none. */
int own_path(const char *path) {
  if (!the_user.set) return 0;
  return lchown(path, the_user.uid, the_user.gid);
}

/* What placing the code copy and becoming the user take; the same in Docker (AGENT_CAPS in docker.ts) and in a VM guest. */
static const int AGENT_CAPS[] = {CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_SETUID, CAP_SETGID, CAP_SETPCAP};

/*
 * Keeps only AGENT_CAPS (a VM guest starts the agent with every capability):
 * while the agent writes the code copy as root, nothing else of root's is
 * reachable, even through a link the image or a persistence dir holds.
 */
void keep_agent_caps(void) {
  unsigned long long keep = 0;
  for (size_t i = 0; i < sizeof AGENT_CAPS / sizeof AGENT_CAPS[0]; i++) keep |= 1ull << AGENT_CAPS[i];
  for (int cap = 0; cap <= 63; cap++) {
    if (!(keep >> cap & 1)) prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
  }
  struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct d[2];
  if (syscall(SYS_capget, &h, d) != 0) return;
  for (int i = 0; i < 2; i++) {
    d[i].effective &= (unsigned)(keep >> (32 * i));
    d[i].permitted &= (unsigned)(keep >> (32 * i));
    d[i].inheritable = 0;
  }
  syscall(SYS_capset, &h, d);
}

/* Every capability set of this process, read back. */
static int caps_left(void) {
  struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct d[2];
  if (syscall(SYS_capget, &h, d) != 0) return 1;
  for (int i = 0; i < 2; i++) {
    if (d[i].effective || d[i].permitted || d[i].inheritable) return 1;
  }
  for (int cap = 0; cap <= 63; cap++) {
    if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1) return 1;
  }
  return 0;
}

/*
 * Becomes the image's user (when it names one) with no capability left in
 * any set, the bounding set empty and no-new-privileges, then not dumpable
 * (a change of uid resets that). `strict`: fail unless all of it held (in a
 * sandbox); run natively (bench/), an ordinary user cannot empty its bounding set.
 */
int become_user(int strict) {
  /* First the bounding set: it needs CAP_SETPCAP, which the change of uid takes away. */
  for (int cap = 0; cap <= 63; cap++) prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
  if (the_user.set) {
    if (setgroups(the_user.ngroups, the_user.groups) != 0) return -1;
    if (setresgid(the_user.gid, the_user.gid, the_user.gid) != 0) return -1;
    if (setresuid(the_user.uid, the_user.uid, the_user.uid) != 0) return -1;
  }
  if (the_user.set_home) setenv("HOME", the_user.home, 1);
  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct d[2];
  memset(d, 0, sizeof d);
  syscall(SYS_capset, &h, d);
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  if (!strict) return 0;
  if (caps_left() || prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) { errno = EPERM; return -1; }
  if (the_user.set && (getuid() != the_user.uid || getegid() != the_user.gid)) { errno = EPERM; return -1; }
  return 0;
}
