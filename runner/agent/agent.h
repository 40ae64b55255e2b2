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

/* files.c: the code copy, the input, disk use */
void do_tree(char **f, int n);
void do_put(char **f, int n);
void do_du(char **f, int n);
void do_df(char **f, int n);
#endif
