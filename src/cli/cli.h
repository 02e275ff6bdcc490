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
int cmd_learn(int argc, char **argv);    /* cmd_learn.c  */
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

/* ---- what `train` and `learn` share (cmd_train.c) ---- */
#include <stdio.h>
typedef struct LearnSession LearnSession;   /* tasks/learn.h */
typedef struct {
    const char *task, *train, *test, *out, *tokenizer, *log_jsonl, *probe;
    const char *cell, *style, *score, *tf_schedule;
    bool bidirectional, input_feed, reverse_source, attn_bias, source_eos;
    long embed, hidden, enc_hidden, attn_dim, steps, batch, n_train, eval_every, log_every, threads;
    double lr, clip, tf, tf_param, until, lr_decay;
    long lr_decay_every;
    uint64_t seed;
} TrainOpts;
/* Parse the shared options: 0, 1 for --help, -1 after printing why not.
 * cmd ("train", "learn") names the command in messages. --out is optional here. */
int train_opts_parse(const char *cmd, int argc, char **argv, TrainOpts *o);
/* The shared part of the usage text: data, model, training, the log. */
void train_opts_usage(FILE *f);
/* Configuration, data and the learning session from the options: EXIT_OK
 * with *s set, or the exit code after printing why. */
int train_session(const char *cmd, const TrainOpts *o, LearnSession **s);
/* Train to the end without a window: progress, the learning log, the
 * held-out report, and the model saved when --out is given. The exit code. */
int train_headless(const char *cmd, const TrainOpts *o, LearnSession *s);
/* The whole command: parse (usage for --help), the session, the headless run. */
int train_command(const char *cmd, int argc, char **argv, void (*usage)(FILE *), bool out_required);

#endif
