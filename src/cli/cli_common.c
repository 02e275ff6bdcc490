/* cli_common.c — numbers from the command line (opt.c's values) and the references of gradients. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../base/buf.h"
#include "../engine/tokenize.h"

/* A typed value as a message may show it: bytes a terminal acts on escaped (base/err.h). */
static const char *shown(const char *s) {
    static char buf[128];
    av_escape(buf, sizeof buf, s, strlen(s));
    return buf;
}

int cli_int(const char *cmd, const char *opt, const char *s, long lo, long hi, long *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        fprintf(stderr, "attnviz %s: %s: expected a whole number from %ld to %ld, got '%s'\n",
                cmd, opt, lo, hi, shown(s));
        return -1;
    }
    *out = v;
    return 0;
}

int cli_float(const char *cmd, const char *opt, const char *s, double lo, double hi, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < lo || v > hi) {
        fprintf(stderr, "attnviz %s: %s: expected a number from %g to %g, got '%s'\n", cmd, opt, lo,
                hi, shown(s));
        return -1;
    }
    *out = v;
    return 0;
}

int cli_u64(const char *cmd, const char *opt, const char *s, uint64_t *out) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-') {
        fprintf(stderr, "attnviz %s: %s: expected a non-negative whole number, got '%s'\n", cmd, opt, shown(s));
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

int cli_blank(const char *cmd, const char *opt, const char *text) {
    if (!text || !text_is_blank(text)) return 0;
    fprintf(stderr, "attnviz %s: %s has no tokens (it is empty or only white space)%s\n", cmd, opt,
            strstr(opt, "target") ? ": give a reference, or leave the option out" : "");
    return -1;
}

int cli_encode(const char *cmd, const char *opt, const Vocab *v, TokenizerKind k, const char *text, int **ids, int *n) {
    char err[AV_ERR_LEN];
    *ids = NULL;
    *n = 0;
    if (encode_text(v, k, text, ids, n, err)) {
        fprintf(stderr, "attnviz %s: %s: %s\n", cmd, opt, err);
        return -1;
    }
    int bad = cli_blank(cmd, opt, text);
    if (!bad && *n == 0) {
        fprintf(stderr, "attnviz %s: %s has no tokens\n", cmd, opt);
        bad = -1;
    }
    if (bad) {
        free(*ids);
        *ids = NULL;
        return -1;
    }
    return 0;
}

int cli_reference_ids(const char *cmd, const Model *m, const char *text, int **ids, int *n) {
    char err[AV_ERR_LEN];
    if (cli_encode(cmd, "--target", &m->tgt, m->cfg.tokenizer, text, ids, n)) return -1;
    int unknown = 0;
    for (int i = 0; i < *n; i++) unknown += (*ids)[i] == TOK_UNK;
    if (!unknown) return 0;
    /* name them: the tokens again, as text, each at most once */
    char **toks = NULL;
    int nt = 0, listed = 0;
    bool more = false;
    Buf b = {0};
    if (tokenize(m->cfg.tokenizer, text, &toks, &nt, err) == 0) {
        for (int i = 0; i < nt && i < *n; i++) {
            if ((*ids)[i] != TOK_UNK) continue;
            bool seen = false;
            for (int k = 0; k < i; k++) seen |= (*ids)[k] == TOK_UNK && strcmp(toks[k], toks[i]) == 0;
            if (seen) continue;
            if (listed == 8) {
                more = true;
                break;
            }
            char esc[64];
            av_escape(esc, sizeof esc, toks[i], strlen(toks[i]));
            buf_printf(&b, "%s'%s'", listed++ ? ", " : "", esc);
        }
        tokens_free(toks, nt);
    }
    if (more) buf_puts(&b, ", …");
    fprintf(stderr, "attnviz %s: --target: %s %s not in the model's target vocabulary (as <unk> they would "
                    "make the loss meaningless)\n", cmd, b.p && !b.oom ? b.p : "some tokens",
            listed == 1 && !more ? "is" : "are");
    buf_free(&b);
    free(*ids);
    *ids = NULL;
    return -1;
}
