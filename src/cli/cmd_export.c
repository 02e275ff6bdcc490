/* cmd_export.c — placeholder until its issue lands; replaced by the real command. */
#include <stdio.h>
#include "cli.h"
int cmd_export(int argc, char **argv) { (void)argc; (void)argv; fprintf(stderr, "attnviz export: not built yet\n"); return EXIT_USER; }
