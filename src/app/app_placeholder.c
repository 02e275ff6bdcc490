/* placeholder until the visualizer lands; replaced by src/app/app.c */
#include <stdio.h>
#include "../cli/cli.h"
int cmd_view(int argc, char **argv) { (void)argc; (void)argv; fprintf(stderr, "attnviz: the visualizer is not built yet\n"); return EXIT_USER; }
