/* Shared by the parts of the agent: see agent.c for what it is and its protocol. */
#ifndef AOCBENCH_AGENT_H
#define AOCBENCH_AGENT_H
#include <stddef.h>
#include <sys/types.h>

#define MAX_FIELDS 4096

/* agent.c: the line protocol */
int split(char *line, char **fields, int max);
void put_field(const char *s);
void reply_error(const char *id, const char *what, const char *detail);

/* run.c: commands, once or timed */
int run_setup(void);
void do_exec(char **f, int n);
void do_time(char **f, int n);
void do_shell(char **f, int n);

/* user.c: the image's user, and giving up privileges */
#define MAX_GROUPS 64
struct image_user {
  int set;      /* the image names a user: the agent becomes it */
  int set_home; /* HOME comes from its passwd entry (the image and session set none) */
  uid_t uid;
  gid_t gid;
  gid_t groups[MAX_GROUPS];
  int ngroups;
  char name[256];
  char home[1024];
};
extern struct image_user the_user;
int resolve_user(const char *spec, char *err, size_t errlen);
int own_path(const char *path);
int become_user(int strict);
void keep_agent_caps(void);

/* meter.c: peak memory and CPU time of a run */
#include <sys/resource.h>
struct meter_mark { long long base; struct rusage children; };
struct usage { long peak_kb; long user_us; long sys_us; };
void meter_setup(void);
const char *meter_kind(void);
void meter_start(struct meter_mark *m);
void meter_end(const struct meter_mark *m, long main_maxrss_kb, struct usage *u);

/* state.c: the state every run starts from */
void do_mark(char **f, int n);
const char *state_restore(void);
void state_wrote(const char *path);
unsigned long long state_left_max(void);

/* files.c: the code copy, the input, disk use */
void do_tree(char **f, int n);
void do_put(char **f, int n);
void do_du(char **f, int n);
void do_df(char **f, int n);
#endif
