/* cli.h — the subcommands of build/attnviz and what they share.
 * Exit codes: 0 success, 1 a user error (bad file, bad input), 2 bad usage. */
#ifndef CLI_H
#define CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "../engine/model.h"

enum { EXIT_OK = 0, EXIT_USER = 1, EXIT_USAGE = 2 };

int cmd_decode(int argc, char **argv);   /* cmd_decode.c */
int cmd_info(int argc, char **argv);     /* cmd_info.c   */
int cmd_train(int argc, char **argv);    /* cmd_train.c  */
int cmd_data(int argc, char **argv);     /* cmd_data.c   */
int cmd_eval(int argc, char **argv);     /* cmd_eval.c   */
int cmd_export(int argc, char **argv);   /* cmd_export.c */
int cmd_view(int argc, char **argv);     /* cmd_view.c   (also: no arguments: the app) */

/* Strict number parsing for options: the whole string must be a number in
 * [lo, hi]; otherwise prints "attnviz CMD: --OPT: ..." to stderr and returns -1. */
int cli_int(const char *cmd, const char *opt, const char *s, long lo, long hi, long *out);
int cli_float(const char *cmd, const char *opt, const char *s, double lo, double hi, double *out);
int cli_u64(const char *cmd, const char *opt, const char *s, uint64_t *out);

/* --target TEXT as the reference of a gradient: ids into *ids (malloc'd,
 * *n of them). A token the target vocabulary lacks would become <unk>, and
 * a loss against <unk> teaches nothing: it is refused, naming every such
 * token, with "attnviz CMD: --target: ..." on stderr and -1 (a user error). */
int cli_reference_ids(const char *cmd, const Model *m, const char *text, int **ids, int *n);

#endif
