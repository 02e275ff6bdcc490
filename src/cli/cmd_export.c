/* cmd_export.c — `attnviz export`: the alignment of one input as a figure
 * (PNG, SVG) and as numbers (CSV, NPY + JSON); with --grad, the gradient of
 * the loss at each attention weight or score instead (engine/gradtrace.h),
 * in a diverging colour scale.
 *
 * The model decodes the input (with --target: forced through the reference,
 * teacher forcing 1, so the rows are the reference tokens), the trace's
 * attention weights become one panel, and src/export/ lays it out and
 * writes every file through a temporary name. --all-scores finds the
 * sibling models <task>-<score>.safetensors next to --model and puts their
 * alignments side by side. Needs no display: fonts are rendered on the CPU.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/outfile.h"
#include "../engine/model.h"
#include "../engine/seq2seq.h"
#include "../engine/tokenize.h"
#include "../export/export.h"
#include "../text/font_find.h"
#include "cli.h"

static void usage(FILE *f) {
    fprintf(f,
            "usage: attnviz export --model M --input TEXT [--target TEXT] --out FILE.png [options]\n"
            "       attnviz export --animation FILE.gif [...]   the view's animation as a GIF:\n"
            "                                                    see attnviz view --help\n\n"
            "Draws the attention of one decoding: source tokens along x, output tokens along y,\n"
            "weights in viridis (0 dark, 1 yellow) with a colorbar.\n\n"
            "  --model M        a .safetensors model (see `attnviz info`)\n"
            "  --input TEXT     the source sentence\n"
            "  --target TEXT    force the decoder through this reference; rows are its tokens\n"
            "  --grad d_weights|d_scores\n"
            "                   with --target: draw the loss's gradient instead of the weights,\n"
            "                   dL/da_t(s) (d_weights) or dL/dscore_t(s) (d_scores), red > 0 > blue\n"
            "  --out FILE.png   the figure (provenance in tEXt chunks: model, task, score, input)\n"
            "  --svg FILE.svg   the same figure as SVG (text stays text)\n"
            "  --csv FILE.csv   the weights: header row of source tokens, one row per output token\n"
            "  --npy FILE.npy   the weights as float32, shape (T, S), with the tokens in FILE.json\n"
            "  --values         print each weight in its cell\n"
            "  --scale 1|2|3    pixel scale for slides and print (default 1)\n"
            "  --theme light|dark\n"
            "  --all-scores     one figure with every sibling model <task>-<score>.safetensors\n"
            "                   side by side (--csv/--npy still hold --model's numbers)\n"
            "  --font PATH      a TTF to use (default: a Hangul-capable font via fontconfig)\n\n"
            "One FILE may be - for standard output (an .npy there has no sidecar JSON);\n"
            "the messages then go to stderr.\n");
}

/* One decoded model: everything a panel needs, kept alive until written. */
typedef struct {
    char path[1024];
    Model model;
    Trace trace;
    GradTrace grad;       /* with --grad */
    ExportPanelData pd;
    char heading[96];
    bool loaded, decoded;
} Run;

static void run_free(Run *r) {
    export_panel_data_free(&r->pd);
    grad_trace_free(&r->grad);
    if (r->decoded) trace_free(&r->trace);
    if (r->loaded) model_free(&r->model);
    memset(r, 0, sizeof *r);
}

/* Decode (and with grad, take the gradient trace of) input against target.
 * On failure err holds the message, or is empty when it was printed. */
static int run_decode(Run *r, const char *input, const char *target, bool grad, char *err) {
    char e[AV_ERR_LEN];
    if (model_load(&r->model, r->path, e)) return snprintf(err, EXPORT_ERR_LEN, "%.500s", e), -1;
    r->loaded = true;
    const ModelConfig *c = &r->model.cfg;
    int *src = NULL, *ref = NULL, S = 0, R = 0;
    if (encode_text(&r->model.src, c->tokenizer, input, &src, &S, e))
        return snprintf(err, EXPORT_ERR_LEN, "--input: %.480s", e), -1;
    if (S < 1) { free(src); return snprintf(err, EXPORT_ERR_LEN, "--input: no tokens in the input"), -1; }
    if (grad && cli_reference_ids("export", &r->model, target, &ref, &R)) { /* it names unknown tokens */
        free(src);
        return err[0] = '\0', -1;
    }
    if (!grad && target && encode_text(&r->model.tgt, c->tokenizer, target, &ref, &R, e)) {
        free(src);
        return snprintf(err, EXPORT_ERR_LEN, "--target: %.480s", e), -1;
    }
    DecodeDesc dd = {.reference = target ? ref : NULL, .ref_len = R, .teacher_forcing = target ? 1.0f : 0.0f};
    int rc = grad ? seq2seq_grad_trace(&r->model, src, S, &dd, 0.1f, &r->grad, &r->trace, e)
                  : seq2seq_decode(&r->model, src, S, &dd, &r->trace, e);
    free(src);
    free(ref);
    if (rc) return snprintf(err, EXPORT_ERR_LEN, "%.200s: %.300s", r->path, e), -1;
    r->decoded = true;
    return 0;
}

/* "dir/dates-general.safetensors" → prefix "dir/dates-", score GENERAL. */
static int split_score(const char *path, char *prefix, size_t cap, ScoreKind *score) {
    const char *ext = ".safetensors";
    size_t n = strlen(path), ne = strlen(ext);
    if (n <= ne || strcmp(path + n - ne, ext) != 0) return -1;
    const char *dash = NULL;
    for (const char *p = path; p < path + n - ne; p++)
        if (*p == '-') dash = p;
    const char *slash = strrchr(path, '/');
    if (!dash || (slash && dash < slash)) return -1;
    char name[32];
    size_t sn = (size_t)(path + n - ne - (dash + 1));
    if (sn == 0 || sn >= sizeof name) return -1;
    memcpy(name, dash + 1, sn);
    name[sn] = '\0';
    if (score_parse(name, score)) return -1;
    size_t pn = (size_t)(dash + 1 - path);
    if (pn + 1 > cap) return -1;
    memcpy(prefix, path, pn);
    prefix[pn] = '\0';
    return 0;
}

/* r's panel: its attention weights, or with grad the gradient there, the
 * loss in the heading. */
static int run_panel(Run *r, const ExportGrad *grad, const char *heading, char *err) {
    if (!grad) return export_panel_from_trace(&r->pd, &r->trace, heading, err);
    snprintf(r->heading, sizeof r->heading, "%s%sloss %.4g", heading ? heading : "", heading ? " \xC2\xB7 " : "",
             (double)r->grad.loss);
    return export_panel_from_grad(&r->pd, &r->grad, &r->trace, *grad, r->heading, err);
}

static const char *task_of(const Run *r, char *buf, size_t cap) {
    if (r->model.task && r->model.task[0]) return r->model.task;
    const char *b = strrchr(r->path, '/');
    snprintf(buf, cap, "%.200s", b ? b + 1 : r->path);
    char *dot = strstr(buf, ".safetensors");
    if (dot) *dot = '\0';
    return buf;
}

/* What the command line asks. */
typedef struct {
    const char *model, *input, *target, *out, *svg, *csv, *npy, *font, *grad_name;
    long scale;
    bool values, all;
    ExportTheme theme;
    ExportGrad grad_kind;
    const ExportGrad *grad;   /* --grad: &grad_kind, else NULL */
} ExportOpts;

/* argv → o: 0, 1 after --help, -1 after a message on stderr. */
static int parse(int argc, char **argv, ExportOpts *o) {
    *o = (ExportOpts){.scale = 1, .theme = EXPORT_LIGHT, .grad_kind = EXPORT_GRAD_WEIGHTS};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); return 1; }
        if (!strcmp(a, "--values")) { o->values = true; continue; }
        if (!strcmp(a, "--all-scores")) { o->all = true; continue; }
        const char **slot = !strcmp(a, "--model") ? &o->model : !strcmp(a, "--input") ? &o->input
                          : !strcmp(a, "--target") ? &o->target : !strcmp(a, "--out") ? &o->out
                          : !strcmp(a, "--svg") ? &o->svg : !strcmp(a, "--csv") ? &o->csv
                          : !strcmp(a, "--npy") ? &o->npy : !strcmp(a, "--font") ? &o->font
                          : !strcmp(a, "--grad") ? &o->grad_name : NULL;
        bool known = slot || !strcmp(a, "--scale") || !strcmp(a, "--theme");
        if (!known) {
            fprintf(stderr, "attnviz export: unknown option '%s'\n", a);
            usage(stderr);
            return -1;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "attnviz export: %s needs a value\n", a);
            return -1;
        }
        const char *v = argv[++i];
        if (slot) *slot = v;
        else if (!strcmp(a, "--scale")) {
            if (cli_int("export", "--scale", v, 1, 3, &o->scale)) return -1;
        } else if (!strcmp(v, "light")) o->theme = EXPORT_LIGHT;
        else if (!strcmp(v, "dark")) o->theme = EXPORT_DARK;
        else {
            fprintf(stderr, "attnviz export: --theme: expected light or dark, got '%s'\n", v);
            return -1;
        }
    }
    if (!o->model || !o->input) {
        fprintf(stderr, "attnviz export: --model and --input are required\n");
        usage(stderr);
        return -1;
    }
    if (o->grad_name) {
        if (export_grad_parse(o->grad_name, &o->grad_kind)) {
            fprintf(stderr, "attnviz export: --grad: expected d_weights or d_scores, got '%s'\n", o->grad_name);
            return -1;
        }
        if (!o->target) {
            fprintf(stderr, "attnviz export: --grad needs --target: the gradient is that of the loss against a "
                            "reference output\n");
            return -1;
        }
        o->grad = &o->grad_kind;
    }
    if (!o->out && !o->svg && !o->csv && !o->npy) {
        fprintf(stderr, "attnviz export: nothing to write: give --out FILE.png (or --svg, --csv, --npy)\n");
        return -1;
    }
    /* "-" is standard output: one output at most, and stdout carries only it */
    if (av_is_stdout(o->out) + av_is_stdout(o->svg) + av_is_stdout(o->csv) + av_is_stdout(o->npy) > 1) {
        fprintf(stderr, "attnviz export: only one of --out, --svg, --csv and --npy can be - (standard output)\n");
        return -1;
    }
    return 0;
}

enum { MAX_RUNS = 6 };

/* Decode --model (runs[0]) and, with --all-scores, its siblings into
 * panels[0 .. *n). 0, or -1 after a message on stderr. */
static int decode_all(const ExportOpts *o, Run *runs, ExportPanel *panels, int *n, char *err) {
    const char *model = o->model;
    snprintf(runs[0].path, sizeof runs[0].path, "%s", model);
    if (run_decode(&runs[0], o->input, o->target, o->grad, err)) {
        if (err[0]) fprintf(stderr, "attnviz export: %s\n", err);
        return -1;
    }
    if (unknown_tokens_line(&runs[0].model.src, runs[0].model.cfg.tokenizer, o->input, err, EXPORT_ERR_LEN) > 0)
        fprintf(stderr, "attnviz export: --input: %s (read as <unk>)\n", err);
    if (!cfg_attn(&runs[0].model.cfg) && !o->all) {
        fprintf(stderr, "attnviz export: %s: score none has no attention, so there is no alignment to export "
                        "(pick a model with a score, or --all-scores)\n", model);
        return -1;
    }
    if (!o->all) {
        if (run_panel(&runs[0], o->grad, NULL, err)) {
            fprintf(stderr, "attnviz export: %s: %s\n", model, err);
            return -1;
        }
        panels[(*n)++] = runs[0].pd.panel;
        return 0;
    }
    char prefix[1000];
    ScoreKind own;
    if (split_score(model, prefix, sizeof prefix, &own)) {
        fprintf(stderr, "attnviz export: --all-scores: %s is not named <task>-<score>.safetensors, so its "
                        "siblings cannot be found\n", model);
        return -1;
    }
    static const ScoreKind ORDER[] = {SCORE_NONE, SCORE_DOT, SCORE_SCALED_DOT, SCORE_GENERAL, SCORE_CONCAT,
                                      SCORE_ADDITIVE};
    int k = 1;
    for (size_t i = 0; i < sizeof ORDER / sizeof *ORDER; i++) {
        Run *r;
        if (ORDER[i] == own) r = &runs[0];
        else {
            if (k >= MAX_RUNS) break;
            r = &runs[k];
            snprintf(r->path, sizeof r->path, "%.990s%s.safetensors", prefix, score_name(ORDER[i]));
            if (access(r->path, R_OK) != 0) continue;   /* that score was not trained */
            k++;
            if (run_decode(r, o->input, o->target, o->grad, err)) {
                if (err[0]) fprintf(stderr, "attnviz export: %s\n", err);
                return -1;
            }
        }
        if (!cfg_attn(&r->model.cfg)) {
            fprintf(stderr, "attnviz export: note: skipping %s (score none has no alignment)\n", r->path);
            continue;
        }
        if (run_panel(r, o->grad, score_name(r->model.cfg.score), err)) {
            fprintf(stderr, "attnviz export: %s: %s\n", r->path, err);
            return -1;
        }
        panels[(*n)++] = r->pd.panel;
    }
    if (*n == 0) {
        fprintf(stderr, "attnviz export: --all-scores: no model with attention next to %s\n", model);
        return -1;
    }
    return 0;
}

/* The figure (PNG, SVG) of the panels with its title and provenance. 0, or
 * -1 after a message on stderr. */
static int write_figure(const ExportOpts *o, const ExportPanel *panels, int n, const char *title,
                        const ExportMeta *meta, const char *font_path, FILE *say, char *err) {
    const ExportGrad *grad = o->grad;
    ExportDesc d = {.title = title, .panels = panels, .n_panels = n, .scale = (int)o->scale, .theme = o->theme,
                    .values = o->values, .font_path = font_path};
    char note[256];
    if (grad) {
        export_grad_note(note, sizeof note, *grad, panels, n);
        d.color = EXPORT_COLOR_GRADIENT;
        d.legend = export_grad_legend(*grad);
        d.note = note;
    }
    ExportFigure fig;
    if (export_figure_build(&fig, &d, err)) { fprintf(stderr, "attnviz export: %s\n", err); return -1; }
    int rc = 0;
    if (o->out && (rc = export_write_png(&fig, meta, o->out, err)) == 0)
        fprintf(say, "wrote %s (%d×%d)\n", o->out, fig.width, fig.height);
    if (!rc && o->svg && (rc = export_write_svg(&fig, meta, o->svg, err)) == 0) fprintf(say, "wrote %s\n", o->svg);
    export_figure_free(&fig);
    if (rc) { fprintf(stderr, "attnviz export: %s\n", err); return -1; }
    return 0;
}

/* The figure and the numbers (CSV, NPY) of the decoded runs, "wrote …" on
 * say. 0, or -1 after a message on stderr. */
static int write_all(const ExportOpts *o, const Run *runs, const ExportPanel *panels, int n, const char *font_path,
                     FILE *say, char *err) {
    /* ---- title and provenance ---- */
    const ExportGrad *grad = o->grad;
    const ModelConfig *c0 = &runs[0].model.cfg;
    char tbuf[256], title[512], models[4096] = "", scores[256] = "";
    const char *task = task_of(&runs[0], tbuf, sizeof tbuf);
    for (int i = 0; i < MAX_RUNS; i++) {
        if (!runs[i].pd.mem) continue;
        size_t ml = strlen(models), sl = strlen(scores);
        snprintf(models + ml, sizeof models - ml, "%s%s", ml ? ", " : "", runs[i].path);
        snprintf(scores + sl, sizeof scores - sl, "%s%s", sl ? ", " : "", score_name(runs[i].model.cfg.score));
    }
    export_title(title, sizeof title, task, c0, o->all);
    if (grad) {
        size_t tl = strlen(title);
        snprintf(title + tl, sizeof title - tl, " · gradient of the loss, %s", export_grad_legend(*grad));
    }
    ExportMeta meta = {.model = models, .task = task, .score = scores, .input = o->input,
                       .quantity = grad ? export_grad_quantity(*grad) : NULL};

    /* ---- write ---- */
    if ((o->out || o->svg) && write_figure(o, panels, n, title, &meta, font_path, say, err)) return -1;
    /* the numbers: --model's own alignment (the first panel when it has one) */
    const ExportPanel *own = runs[0].pd.mem ? &runs[0].pd.panel : NULL;
    if ((o->csv || o->npy) && !own) {
        fprintf(stderr, "attnviz export: %s has no attention (score none): no numbers to write\n", o->model);
        return -1;
    }
    if (o->csv) {
        if (export_write_csv(own, o->csv, err)) { fprintf(stderr, "attnviz export: %s\n", err); return -1; }
        fprintf(say, "wrote %s\n", o->csv);
    }
    if (o->npy) {
        ExportMeta m1 = {.model = o->model, .task = task, .score = score_name(c0->score), .input = o->input,
                         .quantity = meta.quantity};
        char jp[4096];
        if (export_write_npy(own, &m1, o->npy, err)) { fprintf(stderr, "attnviz export: %s\n", err); return -1; }
        export_npy_json_path(o->npy, jp, sizeof jp);
        if (av_is_stdout(o->npy)) fprintf(say, "wrote the .npy to standard output (no sidecar JSON)\n");
        else fprintf(say, "wrote %s and %s\n", o->npy, jp);
    }
    return 0;
}

int cmd_export(int argc, char **argv) {
    /* the view's animation as a GIF is drawn by the app itself: cmd_view.c */
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--animation")) return cmd_view(argc, argv);
    ExportOpts o;
    int pr = parse(argc, argv, &o);
    if (pr != 0) return pr > 0 ? EXIT_OK : EXIT_USAGE;
    FILE *say = av_is_stdout(o.out) || av_is_stdout(o.svg) || av_is_stdout(o.csv) || av_is_stdout(o.npy) ? stderr : stdout;
    /* A file size limit (ulimit -f) must fail a write, not kill us half-way. */
    signal(SIGXFSZ, SIG_IGN);

    char err[EXPORT_ERR_LEN] = "", font_path[1024] = "";
    int status = EXIT_USER;
    Run *runs = calloc(MAX_RUNS, sizeof *runs);
    ExportPanel panels[MAX_RUNS];
    int n = 0;
    if (!runs) { fprintf(stderr, "attnviz export: out of memory\n"); return EXIT_USER; }
    if ((o.out || o.svg) && font_find(o.font, font_path, sizeof font_path, err))
        fprintf(stderr, "attnviz export: %s\n", err);
    else if (decode_all(&o, runs, panels, &n, err) == 0 && write_all(&o, runs, panels, n, font_path, say, err) == 0)
        status = EXIT_OK;
    for (int i = 0; i < MAX_RUNS; i++) run_free(&runs[i]);
    free(runs);
    return status;
}
