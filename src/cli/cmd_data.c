/* cmd_data.c — placeholder until its issue lands; replaced by the real command. */
#include <stdio.h>
#include "cli.h"
int cmd_data(int argc, char **argv) { (void)argc; (void)argv; fprintf(stderr, "attnviz data: not built yet\n"); return EXIT_USER; }
