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
    /* these print their own messages */
    if (cli_encode("export", "--input", &r->model.src, c->tokenizer, input, &src, &S)) return err[0] = '\0', -1;
    if (grad ? cli_reference_ids("export", &r->model, target, &ref, &R)   /* it names unknown tokens */
             : target && cli_encode("export", "--target", &r->model.tgt, c->tokenizer, target, &ref, &R)) {
        free(src);
        return err[0] = '\0', -1;
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
    const char *model, *input, *target, *out, *svg, *csv, *npy, *font, *grad_name, *theme_name;
    const char *animation;    /* never set here: cmd_export hands --animation to cmd_view */
    long scale;
    bool values, all;
    ExportTheme theme;
    ExportGrad grad_kind;
    const ExportGrad *grad;   /* --grad: &grad_kind, else NULL */
} ExportOpts;

static const char *const GRADS[] = {"d_weights", "d_scores", NULL};
static const char *const THEMES[] = {"light", "dark", NULL};

static const Opt EXPORT_OPTS[] = {
    {"model", 'm', OPT_PATH, OPT_AT(ExportOpts, model), .arg = "M", .flags = OPT_REQUIRED,
     .help = "a .safetensors model (see `attnviz info`)"},
    {"input", 'i', OPT_STRING, OPT_AT(ExportOpts, input), .arg = "TEXT", .flags = OPT_REQUIRED,
     .help = "the source sentence"},
    {"target", 0, OPT_STRING, OPT_AT(ExportOpts, target), .arg = "TEXT",
     .help = "force the decoder through this reference; rows are its tokens"},
    {"grad", 0, OPT_ENUM, OPT_AT(ExportOpts, grad_name), .choices = GRADS, .needs = "target",
     .help = "with --target: draw the loss's gradient instead of the weights,\n"
             "dL/da_t(s) (d_weights) or dL/dscore_t(s) (d_scores), orange > 0 > purple"},
    {"out", 'o', OPT_PATH, OPT_AT(ExportOpts, out), .arg = "FILE.png", .ext = "png", .format = "PNG",
     .help = "the figure (provenance in tEXt chunks: model, task, score, input)"},
    {"svg", 0, OPT_PATH, OPT_AT(ExportOpts, svg), .arg = "FILE.svg", .ext = "svg", .format = "SVG",
     .help = "the same figure as SVG (text stays text)"},
    {"csv", 0, OPT_PATH, OPT_AT(ExportOpts, csv), .arg = "FILE.csv", .ext = "csv", .format = "CSV",
     .help = "the weights: header row of source tokens, one row per output token"},
    {"npy", 0, OPT_PATH, OPT_AT(ExportOpts, npy), .arg = "FILE.npy", .ext = "npy", .format = "NPY",
     .help = "the weights as float32, shape (T, S), with the tokens in FILE.json"},
    {"values", 0, OPT_FLAG, OPT_AT(ExportOpts, values), .help = "print each weight in its cell"},
    {"scale", 0, OPT_INT, OPT_AT(ExportOpts, scale), .arg = "1|2|3", .lo = 1, .hi = 3, .def = "1",
     .help = "pixel scale for slides and print"},
    {"theme", 0, OPT_ENUM, OPT_AT(ExportOpts, theme_name), .choices = THEMES, .def = "light", .help = "the colours"},
    {"all-scores", 0, OPT_FLAG, OPT_AT(ExportOpts, all),
     .help = "one figure with every sibling model <task>-<score>.safetensors\n"
             "side by side (--csv/--npy still hold --model's numbers)"},
    {"font", 0, OPT_PATH, OPT_AT(ExportOpts, font), .arg = "PATH",
     .help = "a TTF to use (default: a Hangul-capable font via fontconfig)"},
    {"animation", 0, OPT_PATH, OPT_AT(ExportOpts, animation), .arg = "FILE.gif", .ext = "gif", .format = "GIF",
     .help = "the view's animation as a GIF instead: the view draws it,\n"
             "with the view's options (attnviz view --help)"},
    {0},
};

const OptCommand CLI_EXPORT = {
    .name = "export",
    .usage = "usage: attnviz export --model M --input TEXT [--target TEXT] --out FILE.png [options]\n"
             "       attnviz export --animation FILE.gif [...]   the view's animation as a GIF:\n"
             "                                                    see attnviz view --help\n"
             "\n"
             "Draws the attention of one decoding: source tokens along x, output tokens along y,\n"
             "weights in viridis (0 dark, 1 yellow) with a colorbar.\n",
    .opts = EXPORT_OPTS,
    .footer = "Several files are written all or none: each to a temporary file first, then\n"
              "all put in place. One FILE may be - for standard output (an .npy there has no\n"
              "sidecar JSON); the messages then go to stderr.\n",
    .dst_size = sizeof(ExportOpts),
};

/* argv → o: 0, 1 after --help, -1 after a message on stderr. */
static int parse(int argc, char **argv, ExportOpts *o) {
    *o = (ExportOpts){0};
    int rc = opt_parse(&CLI_EXPORT, argc, argv, o, NULL);
    if (rc) return rc;
    o->theme = strcmp(o->theme_name, "dark") ? EXPORT_LIGHT : EXPORT_DARK;
    if (o->grad_name) {
        if (export_grad_parse(o->grad_name, &o->grad_kind)) return -1;   /* GRADS lists its names */
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

/* The files of one export, in memory until all are written at once. */
enum { MAX_FILES = 5 };   /* --out, --svg, --csv, --npy and its JSON */
typedef struct {
    AvFile f[MAX_FILES];
    Buf mem[MAX_FILES];
    int n;
    int width, height;        /* the figure's, for the message */
    char json_path[4096];     /* --npy's sidecar */
} Files;

/* path ← b (taken over). 0, or -1 when b ran out of memory. */
static int add_file(Files *fs, const char *path, Buf b) {
    fs->mem[fs->n] = b;
    fs->f[fs->n] = (AvFile){path, b.p, b.n};
    fs->n++;
    return b.oom ? -1 : 0;
}

static void files_free(Files *fs) {
    for (int i = 0; i < fs->n; i++) buf_free(&fs->mem[i]);
}

/* The figure (PNG, SVG) of the panels with its title and provenance, into
 * fs. 0, or -1 after a message on stderr. */
static int make_figure(const ExportOpts *o, const ExportPanel *panels, int n, const char *title,
                       const ExportMeta *meta, const char *font_path, Files *fs, char *err) {
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
    fs->width = fig.width;
    fs->height = fig.height;
    int rc = 0;
    uint8_t *png;
    size_t png_n;
    if (o->out && (rc = export_png_encode(&fig, meta, &png, &png_n, err)) == 0)
        add_file(fs, o->out, (Buf){.p = (char *)png, .n = png_n, .cap = png_n});
    else if (o->out) fprintf(stderr, "attnviz export: %s\n", err);
    if (!rc && o->svg) {
        Buf svg;
        export_svg_bytes(&fig, meta, &svg);
        if ((rc = add_file(fs, o->svg, svg))) fprintf(stderr, "attnviz export: %s: out of memory\n", o->svg);
    }
    export_figure_free(&fig);
    return rc;
}

/* The numbers (CSV, NPY and its JSON) of --model's own alignment into fs.
 * 0, or -1 after a message on stderr. */
static int make_numbers(const ExportOpts *o, const ExportPanel *own, const ExportMeta *m1, Files *fs) {
    if (!own) {
        fprintf(stderr, "attnviz export: %s has no attention (score none): no numbers to write\n", o->model);
        return -1;
    }
    Buf csv, npy, json;
    if (o->csv) {
        export_csv_bytes(own, &csv);
        if (add_file(fs, o->csv, csv)) {
            fprintf(stderr, "attnviz export: %s: out of memory\n", o->csv);
            return -1;
        }
    }
    if (!o->npy) return 0;
    int rc = export_npy_bytes(own, m1, &npy, &json);
    add_file(fs, o->npy, npy);
    if (av_is_stdout(o->npy)) buf_free(&json);   /* no sidecar on standard output */
    else if (export_npy_json_path(o->npy, fs->json_path, sizeof fs->json_path) == 0) add_file(fs, fs->json_path, json);
    else {
        buf_free(&json);
        fprintf(stderr, "attnviz export: %s: path too long\n", o->npy);
        return -1;
    }
    if (rc) fprintf(stderr, "attnviz export: %s: out of memory\n", o->npy);
    return rc;
}

/* The figure and the numbers of the decoded runs, written all or none;
 * then "wrote …" on say. 0, or -1 after a message on stderr. */
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
    ExportMeta m1 = {.model = o->model, .task = task, .score = score_name(c0->score), .input = o->input,
                     .quantity = meta.quantity};

    /* ---- every file in memory, then all written or none ---- */
    Files fs = {0};
    const ExportPanel *own = runs[0].pd.mem ? &runs[0].pd.panel : NULL;   /* --model's own alignment */
    int rc = (o->out || o->svg) ? make_figure(o, panels, n, title, &meta, font_path, &fs, err) : 0;
    if (!rc && (o->csv || o->npy)) rc = make_numbers(o, own, &m1, &fs);
    if (!rc && (rc = av_write_files(fs.f, fs.n, err)) != 0) fprintf(stderr, "attnviz export: %s\n", err);
    for (int i = 0; !rc && i < fs.n; i++) {
        const char *path = fs.f[i].path;
        if (path == o->out) fprintf(say, "wrote %s (%d×%d)\n", path, fs.width, fs.height);
        else if (path == o->npy && av_is_stdout(path)) fprintf(say, "wrote the .npy to standard output (no sidecar JSON)\n");
        else if (path == o->npy) fprintf(say, "wrote %s and %s\n", path, fs.json_path);
        else if (path != fs.json_path) fprintf(say, "wrote %s\n", path);
    }
    files_free(&fs);
    return rc;
}

int cmd_export(int argc, char **argv) {
    /* the view's animation as a GIF is drawn by the app itself: cmd_view.c */
    if (opt_in_argv(argc, argv, "animation")) return cmd_view(argc, argv);
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
