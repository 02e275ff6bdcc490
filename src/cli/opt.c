/* opt.c — the one option parser of src/cli and the help it prints, both from a command's table (opt.h). */
#include "opt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "../base/err.h"
#include "../base/outfile.h"
#include "../base/utf8.h"

enum { HELP_COL = 30 };   /* where the help text of an option starts */

/* ---- walking a table (includes followed) ------------------------------------------------- */

/* Calls fn on every entry of t (an include's entries in its place, headings
 * too) until fn returns non-zero, which is returned. */
static int walk(const Opt *t, int (*fn)(const Opt *o, void *ctx), void *ctx) {
    for (; t && t->kind != OPT_END; t++) {
        int r = t->kind == OPT_INCLUDE ? walk(t->sub, fn, ctx) : fn(t, ctx);
        if (r) return r;
    }
    return 0;
}

static bool is_option(const Opt *o) { return o->kind != OPT_HEADING && o->kind != OPT_INCLUDE; }

typedef struct {
    const char *name;
    size_t n;          /* name's length (a long name may be cut at '=') */
    bool is_short;     /* name[0] is a short name (-x) */
    const Opt *found;
} Find;

static int find_fn(const Opt *o, void *ctx) {
    Find *f = ctx;
    if (!is_option(o)) return 0;
    bool hit = f->is_short ? o->short_name == f->name[0] : strlen(o->name) == f->n && !strncmp(o->name, f->name, f->n);
    if (hit) f->found = o;
    return hit;
}

static const Opt *find(const OptCommand *c, const char *name, size_t n, bool is_short) {
    Find f = {.name = name, .n = n, .is_short = is_short};
    walk(c->opts, find_fn, &f);
    return f.found;
}

const Opt *opt_find(const OptCommand *c, const char *name) {
    if (name[0] == '-' && name[1] == '-') return find(c, name + 2, strlen(name + 2), false);
    if (name[0] == '-' && name[1] && !name[2]) return find(c, name + 1, 1, true);
    return NULL;
}

typedef struct {
    const Opt **out;
    int n, cap;
} List;

static int list_fn(const Opt *o, void *ctx) {
    List *l = ctx;
    if (is_option(o) && l->n < l->cap) l->out[l->n++] = o;
    return 0;
}

int opt_list(const OptCommand *c, const Opt **out, int cap) {
    List l = {.out = out, .cap = cap};
    walk(c->opts, list_fn, &l);
    return l.n;
}

bool opt_given(const OptSeen *s, const char *name) {
    for (int i = 0; s && i < s->n; i++)
        if (!strcmp(s->seen[i]->name, name)) return true;
    return false;
}

/* ---- one value ---------------------------------------------------------------------------- */

/* The last extension of path's file name ("png" of "a/b.x.png"), or NULL
 * when the name has none (a dot file's leading dot is not one). */
static const char *extension(const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    return dot && dot != base && dot[1] ? dot + 1 : NULL;
}

typedef struct {
    char *p;
    size_t cap;
} Out;

static int formats_fn(const Opt *o, void *ctx) {
    Out *out = ctx;
    if (o->kind == OPT_PATH && o->ext) {
        size_t n = strlen(out->p);
        snprintf(out->p + n, out->cap - n, "%s--%s FILE.%s", n ? ", " : "", o->name, o->ext);
    }
    return 0;
}

/* A written file's name must not claim another format than the one written. */
static int check_extension(const OptCommand *c, const Opt *o, const char *v) {
    const char *ext = extension(v);
    if (!o->ext || av_is_stdout(v) || !ext || !strcasecmp(ext, o->ext)) return 0;
    char formats[256] = "", shown[256];
    walk(c->opts, formats_fn, &(Out){formats, sizeof formats});
    av_escape(shown, sizeof shown, v, strlen(v));
    fprintf(stderr, "attnviz %s: --%s writes %s: '%s' does not end in .%s (accepted: %s; - for standard output)\n",
            c->name, o->name, o->format ? o->format : o->ext, shown, o->ext, formats);
    return -1;
}

static int set_enum(const OptCommand *c, const Opt *o, const char *v, void *field) {
    for (const char *const *ch = o->choices; *ch; ch++)
        if (!strcmp(*ch, v)) {
            *(const char **)field = *ch;
            return 0;
        }
    char list[512] = "", shown[128];
    for (const char *const *ch = o->choices; *ch; ch++) {
        size_t n = strlen(list);
        snprintf(list + n, sizeof list - n, "%s%s", ch == o->choices ? "" : ch[1] ? ", " : " or ", *ch);
    }
    av_escape(shown, sizeof shown, v, strlen(v));
    fprintf(stderr, "attnviz %s: --%s: expected %s, got '%s'\n", c->name, o->name, list, shown);
    return -1;
}

/* v into o's field of dst: 0, or -1 after one line on stderr. */
static int set_value(const OptCommand *c, const Opt *o, const char *v, void *dst) {
    void *field = (char *)dst + o->off;
    char flag[64];
    snprintf(flag, sizeof flag, "--%s", o->name);
    switch (o->kind) {
    case OPT_FLAG: *(bool *)field = true; return 0;
    case OPT_INT: {
        long x;
        if (cli_int(c->name, flag, v, (long)o->lo, (long)o->hi, &x)) return -1;
        if (o->size == sizeof(int)) *(int *)field = (int)x;
        else *(long *)field = x;
        return 0;
    }
    case OPT_FLOAT: return cli_float(c->name, flag, v, o->lo, o->hi, (double *)field);
    case OPT_U64: return cli_u64(c->name, flag, v, (uint64_t *)field);
    case OPT_PATH:
        if (check_extension(c, o, v)) return -1;
        /* fall through */
    case OPT_STRING: *(const char **)field = v; return 0;
    case OPT_ENUM: return set_enum(c, o, v, field);
    case OPT_CUSTOM: {
        char expected[160] = "", shown[128];
        if (o->custom(v, field, expected, sizeof expected) == 0) return 0;
        av_escape(shown, sizeof shown, v, strlen(v));
        fprintf(stderr, "attnviz %s: %s: expected %s, got '%s'\n", c->name, flag, expected, shown);
        return -1;
    }
    default: return -1;
    }
}

typedef struct {
    const OptCommand *c;
    void *dst;
} Defaults;

static int default_fn(const Opt *o, void *ctx) {
    Defaults *d = ctx;
    return is_option(o) && o->def && set_value(d->c, o, o->def, d->dst) ? -1 : 0;
}

/* ---- the parse ---------------------------------------------------------------------------- */

static void seen_add(OptSeen *s, const Opt *o) {
    for (int i = 0; i < s->n; i++)
        if (s->seen[i] == o) return;
    if (s->n < OPT_MAX_SEEN) s->seen[s->n++] = o;
}

typedef struct {
    const OptSeen *seen;
    const char *missing[16];
    int n;
} Required;

static int required_fn(const Opt *o, void *ctx) {
    Required *r = ctx;
    if (is_option(o) && (o->flags & OPT_REQUIRED) && !opt_given(r->seen, o->name) && r->n < 16)
        r->missing[r->n++] = o->name;
    return 0;
}

/* Required options and `needs`: 0, or -1 after one line. */
static int check_combination(const OptCommand *c, const OptSeen *s) {
    Required r = {.seen = s};
    walk(c->opts, required_fn, &r);
    if (r.n) {
        char list[512] = "";
        for (int i = 0; i < r.n; i++) {
            size_t n = strlen(list);
            snprintf(list + n, sizeof list - n, "%s--%s", i == 0 ? "" : i + 1 < r.n ? ", " : " and ", r.missing[i]);
        }
        fprintf(stderr, "attnviz %s: %s %s required (attnviz %s --help lists the options)\n", c->name, list,
                r.n == 1 ? "is" : "are", c->name);
        return -1;
    }
    for (int i = 0; i < s->n; i++)
        if (s->seen[i]->needs && !opt_given(s, s->seen[i]->needs)) {
            fprintf(stderr, "attnviz %s: --%s needs --%s\n", c->name, s->seen[i]->name, s->seen[i]->needs);
            return -1;
        }
    return 0;
}

bool opt_in_argv(int argc, char **argv, const char *name) {
    size_t n = strlen(name);
    for (int i = 1; i < argc; i++)
        if (argv[i][0] == '-' && argv[i][1] == '-' && !strncmp(argv[i] + 2, name, n) &&
            (argv[i][2 + n] == '\0' || argv[i][2 + n] == '='))
            return true;
    return false;
}

int opt_parse(const OptCommand *c, int argc, char **argv, void *dst, OptSeen *seen) {
    OptSeen local;
    if (!seen) seen = &local;
    seen->n = 0;
    if (walk(c->opts, default_fn, &(Defaults){c, dst})) return -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        char shown[128];
        size_t name_len = strlen(a);   /* of --name=value: the name alone, for the messages */
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            opt_help(c, stdout);
            return 1;
        }
        const Opt *o = NULL;
        if (a[0] == '-' && a[1] == '-' && a[2]) {
            const char *eq = strchr(a + 2, '=');
            o = find(c, a + 2, eq ? (size_t)(eq - (a + 2)) : strlen(a + 2), false);
            if (eq) {
                v = eq + 1;
                name_len = (size_t)(eq - a);
            }
        } else if (a[0] == '-' && a[1] && !a[2]) {
            o = find(c, a + 1, 1, true);
        }
        av_escape(shown, sizeof shown, a, name_len);
        if (a[0] != '-' || !a[1]) {
            fprintf(stderr, "attnviz %s: unexpected argument '%s' (options start with --; attnviz %s --help "
                            "lists them)\n", c->name, shown, c->name);
            return -1;
        }
        if (!o) {
            fprintf(stderr, "attnviz %s: unknown option '%s' (attnviz %s --help lists the options)\n", c->name,
                    shown, c->name);
            return -1;
        }
        if (o->kind == OPT_FLAG && v) {
            fprintf(stderr, "attnviz %s: --%s takes no value\n", c->name, o->name);
            return -1;
        }
        if (o->kind != OPT_FLAG && !v) {
            if (i + 1 >= argc) {
                fprintf(stderr, "attnviz %s: --%s needs a value (%s)\n", c->name, o->name, o->arg ? o->arg : "VALUE");
                return -1;
            }
            v = argv[++i];
        }
        if (set_value(c, o, v, dst)) return -1;
        seen_add(seen, o);
    }
    return check_combination(c, seen);
}

/* ---- the help ----------------------------------------------------------------------------- */

typedef struct {
    FILE *f;
    bool any_short;
    bool first;
} Help;

static int short_fn(const Opt *o, void *ctx) {
    if (is_option(o) && o->short_name) ((Help *)ctx)->any_short = true;
    return 0;
}

static void help_line(Help *h, char short_name, const char *name, const char *arg, const char *text,
                      const char *def, bool required) {
    char left[256];
    int n = snprintf(left, sizeof left, "  %s%s%s--%s%s%s", short_name ? "-" : "", short_name ? (char[2]){short_name, 0} : "",
                     short_name ? ", " : h->any_short ? "    " : "", name, arg ? " " : "", arg ? arg : "");
    fputs(left, h->f);
    int w = (int)utf8_count(left);
    if (n >= (int)sizeof left || w >= HELP_COL - 1) {
        fputc('\n', h->f);
        w = 0;
    }
    fprintf(h->f, "%*s", HELP_COL - w, "");
    for (const char *p = text; *p; p++) {
        fputc(*p, h->f);
        if (*p == '\n') fprintf(h->f, "%*s", HELP_COL, "");
    }
    if (def) fprintf(h->f, " (default %s)", def);
    if (required) fputs(" (required)", h->f);
    fputc('\n', h->f);
}

static int help_fn(const Opt *o, void *ctx) {
    Help *h = ctx;
    if (o->kind == OPT_HEADING) {
        fprintf(h->f, "%s%s\n", h->first ? "" : "\n", o->name);
        h->first = false;
        return 0;
    }
    if (h->first) fputs("options:\n", h->f);
    h->first = false;
    char arg[512];
    const char *a = o->arg;
    if (o->kind == OPT_ENUM && !a) {   /* the choices are the value's name */
        arg[0] = '\0';
        for (const char *const *ch = o->choices; *ch; ch++) {
            size_t n = strlen(arg);
            snprintf(arg + n, sizeof arg - n, "%s%s", n ? "|" : "", *ch);
        }
        a = arg;
    }
    help_line(h, o->short_name, o->name, o->kind == OPT_FLAG ? NULL : a ? a : "VALUE", o->help ? o->help : "",
              o->def, o->flags & OPT_REQUIRED);
    return 0;
}

void opt_help(const OptCommand *c, FILE *f) {
    Help h = {.f = f, .first = true};
    walk(c->opts, short_fn, &h);
    fprintf(f, "%s\n", c->usage);
    walk(c->opts, help_fn, &h);
    if (h.first) fputs("options:\n", f);
    help_line(&h, 'h', "help", NULL, "this help", NULL, false);
    if (c->footer) fprintf(f, "\n%s", c->footer);
    if (c->more) c->more(f);
}
