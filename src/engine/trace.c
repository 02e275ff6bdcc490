/* trace.c — SKELETON until the engine lands. */
#include "trace.h"
#include <stdlib.h>
#include <string.h>
const char *trace_token(const Trace *t, int id) { return (id >= 0 && id < t->tgt.n) ? t->tgt.tokens[id] : "?"; }
int trace_output_len(const Trace *t) { int n = 0; while (n < t->T && t->steps[n].token_id != TOK_EOS) n++; return n; }
void trace_free(Trace *t) { vocab_free(&t->tgt); free(t->mem); memset(t, 0, sizeof *t); }
int trace_write_json(const Trace *t, const char *path, char *err) { (void)t; return av_err(err, "%s: trace JSON not implemented yet", path); }
