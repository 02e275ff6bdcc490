/* cmd_eval.c — placeholder until its issue lands; replaced by the real command. */
#include <stdio.h>
#include "cli.h"
int cmd_eval(int argc, char **argv) { (void)argc; (void)argv; fprintf(stderr, "attnviz eval: not built yet\n"); return EXIT_USER; }
