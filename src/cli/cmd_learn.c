/* cmd_learn.c — `attnviz learn`: train a model live and watch attention learn to align (issue 11's training mode).
 *
 * The options are train's (cmd_train.c parses them for both). The window
 * of the training mode belongs to the app; without it, learn trains
 * headless exactly as train does, writing the learning log, and saves the
 * model only when --out is given. With --lab it trains several
 * configurations side by side (cmd_lab.c).
 */
#include <stdio.h>

#include "cli.h"
#include "../tasks/learn.h"

static const Opt LEARN_OPTS[] = {
    {.kind = OPT_INCLUDE, .sub = TRAIN_OPTS},
    {"out", 'o', OPT_PATH, OPT_AT(TrainOpts, out), .arg = "M.safetensors", .ext = "safetensors",
     .format = "safetensors",
     .help = "save the model when training ends (- for stdout)"},
    {.kind = OPT_INCLUDE, .sub = LAB_OPTS},
    {0},
};

const OptCommand CLI_LEARN = {
    .name = "learn",
    .usage = "usage: attnviz learn (--task T | --train FILE.tsv [--test FILE.tsv]) [options] [--out M.safetensors]\n"
             "\n"
             "Trains a model from random weights and shows it learning: the probe's attention\n"
             "matrix as the diagonal emerges, the curves, the film strip. The window is the\n"
             "app's training mode and comes with this command; headless (for now, and without a\n"
             "display) learn trains like `attnviz train` and writes the learning log.\n",
    .opts = LEARN_OPTS,
    .footer = "Exit codes: 0 done, 1 bad data or file (or a loss that is not finite), 2 bad usage.\n",
    .dst_size = sizeof(LearnOpts),
};

int cmd_learn(int argc, char **argv) {
    LearnOpts o = {0};
    int pr = train_opts_parse(&CLI_LEARN, argc, argv, &o.t);   /* the lab's fields follow o.t */
    if (pr) return pr > 0 ? EXIT_OK : EXIT_USAGE;
    if (o.lab) return lab_command(&o);
    LearnSession *s;
    int rc = train_session("learn", &o.t, &s);
    if (rc == EXIT_OK) rc = train_headless("learn", &o.t, s);
    learn_free(s);
    return rc;
}
