/* cmd_learn.c — `attnviz learn`: train a model live and watch attention learn to align (issue 11's training mode).
 *
 * The options are train's (cmd_train.c parses them for both). The window
 * of the training mode belongs to the app; without it, learn trains
 * headless exactly as train does, writing the learning log, and saves the
 * model only when --out is given.
 */
#include <stdio.h>

#include "cli.h"

static const Opt LEARN_OPTS[] = {
    {.kind = OPT_INCLUDE, .sub = TRAIN_OPTS},
    {"out", 'o', OPT_PATH, OPT_AT(TrainOpts, out), .arg = "M.safetensors", .ext = "safetensors",
     .format = "safetensors",
     .help = "save the model when training ends (- for stdout)"},
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
    .dst_size = sizeof(TrainOpts),
};

int cmd_learn(int argc, char **argv) { return train_command(&CLI_LEARN, argc, argv); }
