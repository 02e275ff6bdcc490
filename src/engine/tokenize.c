/* tokenize.c — SKELETON until the engine lands. */
#include "tokenize.h"
#include <stdlib.h>
int tokenize(TokenizerKind k, const char *text, char ***out, int *n, char *err) { (void)k; (void)text; *out = NULL; *n = 0; return av_err(err, "tokenize: not implemented yet"); }
void tokens_free(char **toks, int n) { for (int i = 0; i < n; i++) free(toks[i]); free(toks); }
int encode_text(const Vocab *v, TokenizerKind k, const char *text, int **ids, int *n, char *err) { (void)v; (void)k; (void)text; *ids = NULL; *n = 0; return av_err(err, "encode_text: not implemented yet"); }
char *decode_ids(const Vocab *v, TokenizerKind k, const int *ids, int n) { (void)v; (void)k; (void)ids; (void)n; return NULL; }
