/* test_opt.c — every command's option table (src/cli/opt.h): well formed,
 * its --help lists exactly its options, and the parser takes each of them
 * in every spelling, with the refusals exit 2 stands for.
 *
 * The command-line side (the real binary, its messages and exit codes) is
 * tests/cli/options.sh.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/phase.h"
#include "cli/cli.h"
#include "engine/seq2seq.h"
#include "export/export.h"

static const OptCommand *const COMMANDS[] = {&CLI_DECODE, &CLI_INFO, &CLI_TRAIN, &CLI_LEARN,
                                              &CLI_EVAL,   &CLI_DATA, &CLI_EXPORT, &CLI_VIEW};
enum { N_COMMANDS = sizeof COMMANDS / sizeof *COMMANDS, MAX_OPTS = 96 };

/* A parse target big enough for any options struct, aligned for any field. */
static alignas(max_align_t) unsigned char dst[4096];

/* The command's --help, in memory (static). */
static const char *help_of(const OptCommand *c) {
    static char *text;
    free(text);
    text = NULL;
    size_t n;
    FILE *f = open_memstream(&text, &n);
    cr_assert_not_null(f);
    opt_help(c, f);
    cr_assert_eq(fclose(f), 0);
    return text;
}

/* A value the option takes (static). */
static const char *valid_value(const Opt *o) {
    static char buf[64];
    switch (o->kind) {
    case OPT_INT: snprintf(buf, sizeof buf, "%ld", (long)o->hi); return buf;
    case OPT_FLOAT: snprintf(buf, sizeof buf, "%.17g", o->hi); return buf;
    case OPT_U64: return "7";
    case OPT_PATH: snprintf(buf, sizeof buf, "some/file.%s", o->ext ? o->ext : "txt"); return buf;
    case OPT_ENUM: return o->choices[0];
    case OPT_CUSTOM:
        return !strcmp(o->name, "size")    ? "640x480"
               : !strcmp(o->name, "mouse") ? "3,4"
               : !strcmp(o->name, "steps") ? "2-3"
               : !strcmp(o->name, "fps")   ? "25"
               : !strcmp(o->name, "speed")  ? "30"
               : !strcmp(o->name, "film")   ? "some/film.png"
               : !strcmp(o->name, "curves") ? "some/curves.csv"
                                           : NULL;
    default: return "text";
    }
}

/* argv for the command with o given (as `--name value`, `--name=value` or
 * `-x value`), after every required option and what o needs. */
typedef struct {
    char *v[64];
    char mem[64][80];
    int n;
} Argv;

static void push(Argv *a, const char *s) {
    cr_assert_lt(a->n, 63);
    snprintf(a->mem[a->n], sizeof a->mem[a->n], "%s", s);
    a->v[a->n] = a->mem[a->n];
    a->n++;
}

static void push_opt(Argv *a, const Opt *o, int spelling) {
    char s[80];
    const char *v = valid_value(o);
    cr_assert(o->kind == OPT_FLAG || v, "--%s: the test has no valid value for it", o->name);
    if (o->kind == OPT_FLAG) {
        snprintf(s, sizeof s, "--%s", o->name);
        push(a, s);
    } else if (spelling == 1) {
        snprintf(s, sizeof s, "--%s=%s", o->name, v);
        push(a, s);
    } else {
        if (spelling == 2 && o->short_name) snprintf(s, sizeof s, "-%c", o->short_name);
        else snprintf(s, sizeof s, "--%s", o->name);
        push(a, s);
        push(a, v);
    }
}

static void argv_with(Argv *ap, const OptCommand *c, const Opt *o, int spelling) {
    Argv a_ = {.n = 0}, *a = ap;
    *a = a_;
    push(a, c->name);
    const Opt *all[MAX_OPTS];
    int n = opt_list(c, all, MAX_OPTS);
    for (int i = 0; i < n; i++)
        if ((all[i]->flags & OPT_REQUIRED) && all[i] != o) push_opt(a, all[i], 0);
    for (const Opt *need = o; need->needs;) {   /* the chain: --lr needs --grad-json needs --target */
        char name[64];
        snprintf(name, sizeof name, "--%s", need->needs);
        need = opt_find(c, name);
        cr_assert_not_null(need, "%s: --%s needs an option that does not exist", c->name, o->name);
        if (!(need->flags & OPT_REQUIRED)) push_opt(a, need, 0);
    }
    push_opt(a, o, spelling);
    a->v[a->n] = NULL;
}

Test(opt, every_table_is_well_formed) {
    for (int k = 0; k < N_COMMANDS; k++) {
        const OptCommand *c = COMMANDS[k];
        const Opt *all[MAX_OPTS];
        int n = opt_list(c, all, MAX_OPTS);
        cr_expect(n > 0 && n < MAX_OPTS, "%s: %d options", c->name, n);
        cr_expect(c->dst_size > 0 && c->dst_size <= sizeof dst, "%s: dst_size %zu", c->name, c->dst_size);
        for (int i = 0; i < n; i++) {
            const Opt *o = all[i];
            size_t want = o->kind == OPT_FLAG ? sizeof(bool) : o->kind == OPT_FLOAT ? sizeof(double)
                        : o->kind == OPT_U64 ? sizeof(uint64_t) : o->kind == OPT_INT ? o->size : sizeof(char *);
            cr_expect(o->kind == OPT_CUSTOM || o->size == want, "%s --%s: a field of %zu bytes for its kind",
                      c->name, o->name, o->size);
            cr_expect(o->kind != OPT_INT || o->size == sizeof(long) || (o->size == sizeof(int) && o->hi <= INT32_MAX),
                      "%s --%s: an int field with a range past INT_MAX", c->name, o->name);
            cr_expect(o->off + o->size <= c->dst_size, "%s --%s: the field is outside the struct", c->name, o->name);
            cr_expect(o->kind != OPT_ENUM || (o->choices && o->choices[0]), "%s --%s: no choices", c->name, o->name);
            cr_expect(o->kind != OPT_CUSTOM || o->custom, "%s --%s: no parser", c->name, o->name);
            cr_expect(o->name[0] && o->name[0] != '-' && !strchr(o->name, '='), "%s: option name '%s'", c->name, o->name);
            cr_expect(o->help && o->help[0], "%s --%s: no help line", c->name, o->name);
            for (int j = 0; j < i; j++) {
                cr_expect(strcmp(all[j]->name, o->name), "%s: --%s twice", c->name, o->name);
                cr_expect(!o->short_name || all[j]->short_name != o->short_name, "%s: -%c twice", c->name,
                          o->short_name);
            }
            cr_expect(o->short_name != 'h' && strcmp(o->name, "help"), "%s: -h/--help is every command's own", c->name);
        }
        /* the defaults parse (opt_parse applies them first): the required options alone are taken */
        Argv a = {.n = 0};
        push(&a, c->name);
        for (int i = 0; i < n; i++)
            if (all[i]->flags & OPT_REQUIRED) push_opt(&a, all[i], 0);
        a.v[a.n] = NULL;
        memset(dst, 0, sizeof dst);
        cr_expect_eq(opt_parse(c, a.n, a.v, dst, NULL), 0, "%s with its required options only", c->name);
    }
}

/* Every --word of the help is an option of the table, and every option of
 * the table is in the help: the help cannot promise what the parser refuses. */
Test(opt, the_help_lists_exactly_the_options) {
    for (int k = 0; k < N_COMMANDS; k++) {
        const OptCommand *c = COMMANDS[k];
        const char *h = help_of(c);
        for (const char *p = strstr(h, "--"); p; p = strstr(p + 2, "--")) {
            char name[64];
            size_t n = 0;
            while (n + 3 < sizeof name && (p[2 + n] == '-' || (p[2 + n] >= 'a' && p[2 + n] <= 'z'))) n++;
            if (n == 0 || (p > h && p[-1] != ' ' && p[-1] != '[' && p[-1] != '(' && p[-1] != '`' && p[-1] != '\n' &&
                           p[-1] != '/' && p[-1] != '"'))
                continue;
            snprintf(name, sizeof name, "--%.*s", (int)n, p + 2);
            cr_expect(!strcmp(name, "--help") || opt_find(c, name), "%s --help mentions %s, which it does not take",
                      c->name, name);
        }
        const Opt *all[MAX_OPTS];
        int n = opt_list(c, all, MAX_OPTS);
        for (int i = 0; i < n; i++) {
            char line[80];
            snprintf(line, sizeof line, "--%s", all[i]->name);
            const char *at = strstr(h, line);
            while (at && (at[strlen(line)] == '-' || (at[strlen(line)] >= 'a' && at[strlen(line)] <= 'z')))
                at = strstr(at + 1, line);   /* --lr is not --lr-decay */
            cr_expect(at, "%s takes %s, but its --help does not list it", c->name, line);
        }
        cr_expect(strstr(h, "-h, --help"), "%s: no -h, --help line", c->name);
    }
}

/* Each option alone (with what it needs) in each spelling: parsed, and its
 * field holds the value. */
Test(opt, every_option_parses_in_every_spelling) {
    for (int k = 0; k < N_COMMANDS; k++) {
        const OptCommand *c = COMMANDS[k];
        const Opt *all[MAX_OPTS];
        int n = opt_list(c, all, MAX_OPTS);
        for (int i = 0; i < n; i++) {
            for (int spelling = 0; spelling < 3; spelling++) {
                const Opt *o = all[i];
                if ((spelling == 1 && o->kind == OPT_FLAG) || (spelling == 2 && !o->short_name)) continue;
                Argv a;
                argv_with(&a, c, o, spelling);
                memset(dst, 0xA5, sizeof dst);
                OptSeen seen;
                int rc = opt_parse(c, a.n, a.v, dst, &seen);
                cr_expect_eq(rc, 0, "%s: '%s' (spelling %d) refused", c->name, a.v[a.n - 1], spelling);
                cr_expect(opt_given(&seen, o->name), "%s --%s: not recorded as given", c->name, o->name);
                const void *f = dst + o->off;
                const char *v = valid_value(o);
                switch (o->kind) {
                case OPT_FLAG: cr_expect(*(const bool *)f, "%s --%s", c->name, o->name); break;
                case OPT_INT:
                    cr_expect_eq(o->size == sizeof(int) ? *(const int *)f : *(const long *)f, (long)o->hi, "%s --%s",
                                 c->name, o->name);
                    break;
                case OPT_FLOAT: cr_expect_eq(*(const double *)f, o->hi, "%s --%s", c->name, o->name); break;
                case OPT_U64: cr_expect_eq(*(const uint64_t *)f, 7, "%s --%s", c->name, o->name); break;
                case OPT_CUSTOM: break;
                default: cr_expect_str_eq(*(const char *const *)f, v, "%s --%s", c->name, o->name);
                }
            }
        }
    }
}

static int parse_args(const OptCommand *c, const char *const *args) {
    char *v[32];
    int n = 0;
    v[n++] = (char *)c->name;
    for (; *args; args++) v[n++] = (char *)*args;
    v[n] = NULL;
    memset(dst, 0, sizeof dst);
    return opt_parse(c, n, v, dst, NULL);
}

#define REFUSED(c, ...) cr_expect_eq(parse_args(c, (const char *const[]){__VA_ARGS__, NULL}), -1, "%s: " #__VA_ARGS__, (c)->name)
#define TAKEN(c, ...) cr_expect_eq(parse_args(c, (const char *const[]){__VA_ARGS__, NULL}), 0, "%s: " #__VA_ARGS__, (c)->name)

Test(opt, refusals) {
    cr_redirect_stderr();
    const OptCommand *d = &CLI_DECODE, *e = &CLI_EXPORT, *t = &CLI_TRAIN;
    TAKEN(d, "--model", "m", "--input", "x");
    TAKEN(d, "-m", "m", "-i", "-x");                       /* a value that starts with - is a value */
    REFUSED(d, "--model", "m", "--input", "x", "--frob");  /* unknown */
    REFUSED(d, "--model", "m", "--input", "x", "--frob=1");
    REFUSED(d, "--model", "m", "--input", "x", "-z", "1");
    REFUSED(d, "--model", "m", "--input", "x", "extra");   /* an argument that is no option */
    REFUSED(d, "--model", "m", "--input");                 /* a missing value */
    REFUSED(d, "--model", "m");                            /* a required option missing */
    REFUSED(d, "--model", "m", "--input", "x", "--max-len", "0");
    REFUSED(d, "--model", "m", "--input", "x", "--max-len", "10001");
    REFUSED(d, "--model", "m", "--input", "x", "--max-len", "5x");
    REFUSED(d, "--model", "m", "--input", "x", "--max-len=");
    REFUSED(d, "--model", "m", "--input", "x", "--teacher-forcing", "0.5");   /* needs --target */
    TAKEN(d, "--model", "m", "--input", "x", "--target", "y", "--teacher-forcing", "0.5");
    REFUSED(d, "--model", "m", "--input", "x", "--target", "y", "--teacher-forcing", "nan");
    REFUSED(d, "--model", "m", "--input", "x", "--seed", "-1", "--target", "y");
    REFUSED(e, "--model", "m", "--input", "x", "--values=yes");   /* a flag takes no value */
    REFUSED(e, "--model", "m", "--input", "x", "--theme", "blue");
    REFUSED(e, "--model", "m", "--input", "x", "--out", "x.jpg");
    REFUSED(e, "--model", "m", "--input", "x", "--csv", "x.png");
    TAKEN(e, "--model", "m", "--input", "x", "--out", "X.PNG", "--csv", "-", "--npy", "/dev/fd/3");
    REFUSED(t, "--task", "dates", "--out", "m.safetensors", "--steps", "-1");
    REFUSED(t, "--task", "dates", "--out", "m.safetensors", "--cell", "rnn");
    REFUSED(t, "--task", "dates");                                  /* train's --out is required */
    TAKEN(&CLI_LEARN, "--task", "dates");                           /* learn's is not */
    REFUSED(t, "--train", "f.tsv", "--n-train", "5", "--out", "m.safetensors");   /* --n-train is --task's */
    REFUSED(&CLI_VIEW, "--step", "2");                              /* needs --screenshot */
    REFUSED(&CLI_VIEW, "--size", "12x");
    REFUSED(&CLI_VIEW, "--", "x");
    TAKEN(&CLI_VIEW, "--size=640x480", "--mouse", "1,2", "--screenshot", "-");
    TAKEN(&CLI_VIEW, "--animation", "a.gif", "--steps", "3", "--fps", "50", "--loop", "once", "--score", "dot");
    REFUSED(&CLI_VIEW, "--animation", "a.gif", "--fps", "15");      /* a GIF counts in 1/100 s */
    REFUSED(&CLI_VIEW, "--animation", "a.gif", "--steps", "3-2");
    REFUSED(&CLI_VIEW, "--animation", "a.png");
    REFUSED(&CLI_VIEW, "--fps", "20");                              /* needs --animation */
}

/* An enum's choices are the names the engine (or the base) parses. */
Test(opt, choices_are_the_engines_names) {
    const Opt *o;
    o = opt_find(&CLI_TRAIN, "--cell");
    for (int i = 0; o->choices[i]; i++) { CellKind x; cr_expect_eq(cell_parse(o->choices[i], &x), 0); cr_expect_eq((int)x, i); }
    o = opt_find(&CLI_TRAIN, "--style");
    for (int i = 0; o->choices[i]; i++) { StyleKind x; cr_expect_eq(style_parse(o->choices[i], &x), 0); cr_expect_eq((int)x, i); }
    o = opt_find(&CLI_TRAIN, "--tokenizer");
    for (int i = 0; o->choices[i]; i++) { TokenizerKind x; cr_expect_eq(tokenizer_parse(o->choices[i], &x), 0); cr_expect_eq((int)x, i); }
    o = opt_find(&CLI_TRAIN, "--score");
    int n = 0;
    for (; o->choices[n]; n++) { ScoreKind x; cr_expect_eq(score_parse(o->choices[n], &x), 0); cr_expect_eq((int)x, n); }
    cr_expect_eq(n, SCORE_COUNT, "--score lists %d scores, the engine has %d", n, SCORE_COUNT);
    o = opt_find(&CLI_TRAIN, "--tf-schedule");
    for (n = 0; o->choices[n]; n++) { TfSchedule x; cr_expect_eq(tf_schedule_parse(o->choices[n], &x), 0); cr_expect_eq((int)x, n); }
    /* --phase: the forward phases in order, then the backward ones whose names are not forward ones too
     * (--direction backward decides): together every backward phase */
    o = opt_find(&CLI_VIEW, "--phase");
    for (n = 0; n < PH_COUNT; n++) { Phase x; cr_expect_eq(phase_parse(o->choices[n], &x), 0); cr_expect_eq((int)x, n); }
    bool back[BPH_COUNT] = {0};
    for (n = 0; o->choices[n]; n++) {
        BackPhase b;
        if (back_phase_parse(o->choices[n], &b) == 0) back[b] = true;
        else cr_expect_lt(n, PH_COUNT, "--phase %s is neither phase", o->choices[n]);
    }
    for (int b = 0; b < BPH_COUNT; b++) cr_expect(back[b], "--phase lacks the backward phase %s", back_phase_name(b));
    o = opt_find(&CLI_EXPORT, "--grad");
    for (n = 0; o->choices[n]; n++) { ExportGrad x; cr_expect_eq(export_grad_parse(o->choices[n], &x), 0); }
}
