/* cmd_decode.c — placeholder until its issue lands; replaced by the real command. */
#include <stdio.h>
#include "cli.h"
int cmd_decode(int argc, char **argv) { (void)argc; (void)argv; fprintf(stderr, "attnviz decode: not built yet\n"); return EXIT_USER; }
