/* cli.h — the subcommands of build/attnviz and what they share.
 * Exit codes: 0 success, 1 a user error (bad file, bad input), 2 bad usage. */
#ifndef CLI_H
#define CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "../engine/model.h"
#include "opt.h"

enum { EXIT_OK = 0, EXIT_USER = 1, EXIT_USAGE = 2 };

int cmd_decode(int argc, char **argv);   /* cmd_decode.c */
int cmd_info(int argc, char **argv);     /* cmd_info.c   */
int cmd_train(int argc, char **argv);    /* cmd_train.c  */
int cmd_learn(int argc, char **argv);    /* cmd_learn.c  */
int cmd_data(int argc, char **argv);     /* cmd_data.c   */
int cmd_eval(int argc, char **argv);     /* cmd_eval.c   */
int cmd_export(int argc, char **argv);   /* cmd_export.c */
int cmd_view(int argc, char **argv);     /* cmd_view.c   (also: no arguments: the app) */

/* Each command's option table (opt.h), for --help and the tests. */
extern const OptCommand CLI_DECODE, CLI_INFO, CLI_TRAIN, CLI_LEARN, CLI_EVAL, CLI_DATA, CLI_EXPORT, CLI_VIEW;

/* Strict number parsing for options: the whole string must be a number in
 * [lo, hi]; otherwise prints "attnviz CMD: --OPT: ..." to stderr and returns -1. */
int cli_int(const char *cmd, const char *opt, const char *s, long lo, long hi, long *out);
int cli_float(const char *cmd, const char *opt, const char *s, double lo, double hi, double *out);
int cli_u64(const char *cmd, const char *opt, const char *s, uint64_t *out);

/* --input or --target (opt) as ids into *ids (malloc'd, *n of them):
 * text that is not UTF-8, and text with no tokens (empty or only white
 * space), are refused with one line "attnviz CMD: OPT ..." on stderr and -1
 * (a user error, exit 1). Unknown tokens become <unk> here. */
int cli_encode(const char *cmd, const char *opt, const Vocab *v, TokenizerKind k, const char *text, int **ids, int *n);
/* That refusal alone: -1 after the line when text is given (not NULL) and
 * empty or only white space, else 0. */
int cli_blank(const char *cmd, const char *opt, const char *text);

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
    bool live;                /* the app shows the run: the film strip, a line every
                                 log_every and held-out every eval_every steps */
    long embed, hidden, enc_hidden, attn_dim, steps, batch, n_train, eval_every, log_every, threads;
    double lr, clip, tf, tf_param, until, lr_decay;
    long lr_decay_every;
    uint64_t seed;
} TrainOpts;
/* The options both share (cmd_train.c); each command's table includes
 * them and adds its own --out. */
extern const Opt TRAIN_OPTS[];
/* Parse c's options (a table that includes TRAIN_OPTS): 0, 1 after --help,
 * -1 after one line on stderr. */
int train_opts_parse(const OptCommand *c, int argc, char **argv, TrainOpts *o);
/* Configuration, data and the learning session from the options: EXIT_OK
 * with *s set, or the exit code after printing why. */
int train_session(const char *cmd, const TrainOpts *o, LearnSession **s);
/* Train to the end without a window: progress, the learning log, the
 * held-out report, and the model saved when --out is given. The exit code. */
int train_headless(const char *cmd, const TrainOpts *o, LearnSession *s);
/* learn's options: train's, then the window's and the figures' (cmd_learn.c)
 * and the mechanism lab's (cmd_lab.c). TrainOpts comes first, so
 * TRAIN_OPTS' fields are where its table says. */
enum { LEARN_MAX_CURVES = 4 };
typedef struct {
    TrainOpts t;
    const char *lab, *screenshot, *film, *theme, *lang, *font;
    struct { const char *v[LEARN_MAX_CURVES]; int n; } curves;   /* --curves, repeatable */
    int size[2], speed;
    bool headless, paused;
} LearnOpts;
extern const Opt LAB_OPTS[];
/* `learn --lab`: 2 to 6 configurations trained side by side (cmd_lab.c). The exit code. */
int lab_command(LearnOpts *o);
/* "WxH" (a window or screenshot size, 320x240 to 8192x8192) into int[2]: an OPT_CUSTOM parser. */
int cli_parse_size(const char *v, void *field, char *expected, size_t cap);
/* The whole command: parse (help for --help), the session, the headless run. */
int train_command(const OptCommand *c, int argc, char **argv);

#endif
