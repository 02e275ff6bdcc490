/* cmd_train.c — placeholder until its issue lands; replaced by the real command. */
#include <stdio.h>
#include "cli.h"
int cmd_train(int argc, char **argv) { (void)argc; (void)argv; fprintf(stderr, "attnviz train: not built yet\n"); return EXIT_USER; }
