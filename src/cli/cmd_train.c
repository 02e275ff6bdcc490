/* cmd_train.c — `attnviz train`: train a model on a task or on your own TSV
 * pairs, show progress, measure held-out exact match, save safetensors; and
 * what `attnviz learn` shares with it (cli.h): the options, the data and
 * the learning session (src/tasks/learn.h), and the headless run.
 *
 * Data: with --task, N training pairs are generated from --seed and the
 * held-out set is the task's test split (TASK_TEST_N pairs from
 * TASK_TEST_SEED, the same set `eval --task` uses). With --train FILE the
 * held-out set is --test FILE, or else the pairs of FILE whose source hashes
 * into a held-out bucket (about 1 in 10). Vocabularies are built
 * from the training pairs only; an unseen held-out token becomes <unk>.
 *
 * --until-accuracy A evaluates every --eval-every steps and stops as soon
 * as held-out exact match ≥ A. The training time it prints counts only the
 * optimisation steps: data generation, evaluation and saving are excluded.
 *
 * --log-jsonl FILE writes the learning log (MODEL.md) line by line, each
 * line flushed as soon as it is logged, straight into FILE rather than
 * through a temporary file: a notebook may read it while training runs,
 * and a run that stops early leaves every line it logged whole. A write
 * that fails cuts a regular file back to its last whole line and stops.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "../base/outfile.h"
#include "../engine/seq2seq.h"
#include "../tasks/learn.h"
#include "../tasks/learn_data.h"
#include "../tasks/task.h"

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* --threads' default: every core */
static long default_threads(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 256 ? 256 : n;
}

static const char *const TOKENIZERS[] = {"char", "word", NULL};
static const char *const CELLS[] = {"lstm", "gru", NULL};
static const char *const STYLES[] = {"luong", "bahdanau", NULL};
static const char *const SCORES[] = {"none", "dot", "scaled_dot", "general", "concat", "additive", NULL};
static const char *const SCHEDULES[] = {"constant", "linear", "exponential", "inverse_sigmoid", NULL};

/* What `train` and `learn` share; each adds its --out (cmd_learn.c). */
const Opt TRAIN_OPTS[] = {
    {"data:", .kind = OPT_HEADING},
    {"task", 0, OPT_STRING, OPT_AT(TrainOpts, task), .arg = "T",
     .help = "dates, reverse, en-ko, en-fr or copy (`attnviz data --help`)"},
    {"train", 0, OPT_PATH, OPT_AT(TrainOpts, train), .arg = "FILE.tsv",
     .help = "your own pairs: source TAB target per line"},
    {"test", 0, OPT_PATH, OPT_AT(TrainOpts, test), .arg = "FILE.tsv", .needs = "train",
     .help = "held-out pairs (default: ~10% of --train, chosen by hash)"},
    {"tokenizer", 0, OPT_ENUM, OPT_AT(TrainOpts, tokenizer), .choices = TOKENIZERS,
     .help = "(default: the task's; char for files)"},
    {"n-train", 0, OPT_INT, OPT_AT(TrainOpts, n_train), .arg = "N", .lo = 1, .hi = 10000000, .def = "50000",
     .needs = "task", .help = "pairs generated for --task"},
    {"reverse-source", 0, OPT_FLAG, OPT_AT(TrainOpts, reverse_source),
     .help = "the encoder reads the input backwards (Sutskever et al. 2014)"},
    {"model (docs/FORMAT.md):", .kind = OPT_HEADING},
    {"cell", 0, OPT_ENUM, OPT_AT(TrainOpts, cell), .choices = CELLS, .def = "lstm", .help = "the recurrent cell"},
    {"style", 0, OPT_ENUM, OPT_AT(TrainOpts, style), .choices = STYLES, .def = "luong",
     .help = "where attention enters the decoder"},
    {"score", 0, OPT_ENUM, OPT_AT(TrainOpts, score), .choices = SCORES, .def = "general",
     .help = "the scoring function"},
    {"bidirectional", 0, OPT_FLAG, OPT_AT(TrainOpts, bidirectional),
     .help = "bidirectional encoder with a bridge to the decoder"},
    {"input-feed", 0, OPT_FLAG, OPT_AT(TrainOpts, input_feed), .help = "Luong input feeding"},
    {"attn-bias", 0, OPT_FLAG, OPT_AT(TrainOpts, attn_bias),
     .help = "the attention layers and W_c get biases (nn.Linear's default)"},
    {"source-eos", 0, OPT_FLAG, OPT_AT(TrainOpts, source_eos),
     .help = "append <eos> to every source (the PyTorch tutorial's convention)"},
    {"embed", 0, OPT_INT, OPT_AT(TrainOpts, embed), .arg = "E", .lo = 1, .hi = 4096, .def = "16",
     .help = "embedding size"},
    {"hidden", 0, OPT_INT, OPT_AT(TrainOpts, hidden), .arg = "H", .lo = 1, .hi = 4096, .def = "64",
     .help = "the decoder's hidden size"},
    {"enc-hidden", 0, OPT_INT, OPT_AT(TrainOpts, enc_hidden), .arg = "He", .lo = 1, .hi = 4096,
     .help = "the encoder's (default: H, or H/2 when bidirectional)"},
    {"attn-dim", 0, OPT_INT, OPT_AT(TrainOpts, attn_dim), .arg = "A", .lo = 0, .hi = 4096,
     .help = "the attention layer's (default: H for concat and additive)"},
    {"training:", .kind = OPT_HEADING},
    {"steps", 0, OPT_INT, OPT_AT(TrainOpts, steps), .arg = "N", .lo = 0, .hi = 100000000, .def = "2000",
     .help = "optimisation steps (0: save the untrained model)"},
    {"batch", 0, OPT_INT, OPT_AT(TrainOpts, batch), .arg = "B", .lo = 1, .hi = 4096, .def = "32",
     .help = "pairs per step"},
    {"lr", 0, OPT_FLOAT, OPT_AT(TrainOpts, lr), .arg = "LR", .lo = 1e-9, .hi = 1e30, .def = "0.003",
     .help = "Adam's learning rate"},
    {"lr-decay", 0, OPT_FLOAT, OPT_AT(TrainOpts, lr_decay), .arg = "F", .lo = 1e-6, .hi = 1, .def = "1",
     .help = "lr = LR · F^(step/N), smoothly (1: constant)"},
    {"lr-decay-every", 0, OPT_INT, OPT_AT(TrainOpts, lr_decay_every), .arg = "N", .lo = 1, .hi = 100000000,
     .def = "1000", .help = "that N"},
    {"clip", 0, OPT_FLOAT, OPT_AT(TrainOpts, clip), .arg = "C", .lo = 0, .hi = 1e9, .def = "1",
     .help = "clip the gradient's global norm at C (0: off)"},
    {"teacher-forcing", 0, OPT_FLOAT, OPT_AT(TrainOpts, tf), .arg = "P", .lo = 0, .hi = 1, .def = "1",
     .help = "probability of feeding the reference token"},
    {"tf-schedule", 0, OPT_ENUM, OPT_AT(TrainOpts, tf_schedule), .choices = SCHEDULES, .def = "constant",
     .help = "how that probability changes"},
    {"tf-param", 0, OPT_FLOAT, OPT_AT(TrainOpts, tf_param), .arg = "X", .lo = 0, .hi = 1e9, .def = "0",
     .help = "the schedule's epsilon or kappa (0: its default)"},
    {"seed", 0, OPT_U64, OPT_AT(TrainOpts, seed), .arg = "S", .def = "1", .help = "seeds data, weights and batches"},
    {"threads", 0, OPT_INT, OPT_AT(TrainOpts, threads), .arg = "N", .lo = 1, .hi = 256,
     .help = "threads (default: every core); the model comes out\nthe same, bit for bit, whatever N"},
    {"until-accuracy", 0, OPT_FLOAT, OPT_AT(TrainOpts, until), .arg = "A", .lo = 0, .hi = 1,
     .help = "stop once held-out exact match >= A (0..1); --steps\nis the cap"},
    {"eval-every", 0, OPT_INT, OPT_AT(TrainOpts, eval_every), .arg = "N", .lo = 1, .hi = 100000000, .def = "100",
     .help = "steps between held-out evaluations"},
    {"the learning log (docs/FORMAT.md):", .kind = OPT_HEADING},
    {"log-jsonl", 0, OPT_PATH, OPT_AT(TrainOpts, log_jsonl), .arg = "FILE",
     .help = "one JSON object per line as training goes (- for\nstdout): step 0 is the untrained model; loss, "
             "gradient\nnorm, lr, teacher forcing; held-out accuracy every\n--eval-every steps"},
    {"log-every", 0, OPT_INT, OPT_AT(TrainOpts, log_every), .arg = "N", .lo = 1, .hi = 100000000, .def = "10",
     .help = "steps between lines"},
    {"probe", 0, OPT_STRING, OPT_AT(TrainOpts, probe), .arg = "TEXT",
     .help = "decode TEXT on every line: its tokens, attention\nweights and, for reverse, copy and dates, its\n"
             "alignment accuracy"},
    {0},
};

static const Opt TRAIN_OWN_OPTS[] = {
    {.kind = OPT_INCLUDE, .sub = TRAIN_OPTS},
    {"out", 'o', OPT_PATH, OPT_AT(TrainOpts, out), .arg = "M.safetensors", .ext = "safetensors",
     .format = "safetensors", .flags = OPT_REQUIRED,
     .help = "where to save the model (- for stdout, and the\nreport then goes to stderr)"},
    {0},
};

const OptCommand CLI_TRAIN = {
    .name = "train",
    .usage = "usage: attnviz train (--task T | --train FILE.tsv [--test FILE.tsv]) [options] --out M.safetensors\n",
    .opts = TRAIN_OWN_OPTS,
    .footer = "Progress goes to stderr: a live bar on a terminal, plain lines otherwise. Its\n"
              "\"train acc\" is the token accuracy on the training batches (with teacher\n"
              "forcing, as trained); the held-out lines and the report decode held-out pairs\n"
              "freely.\n"
              "Exit codes: 0 done, 1 bad data or file (or a loss that is not finite), 2 bad usage.\n",
    .dst_size = sizeof(TrainOpts),
};

int train_opts_parse(const OptCommand *c, int argc, char **argv, TrainOpts *o) {
    *o = (TrainOpts){.enc_hidden = -1, .attn_dim = -1, .until = -1, .threads = default_threads()};
    const char *cmd = c->name;
    int rc = opt_parse(c, argc, argv, o, NULL);
    if (rc) return rc;
    if (!o->task == !o->train) {
        fprintf(stderr, "attnviz %s: give exactly one of --task T and --train FILE.tsv\n", cmd);
        return -1;
    }
    if (o->out && o->log_jsonl && av_is_stdout(o->out) && av_is_stdout(o->log_jsonl)) {
        fprintf(stderr, "attnviz %s: --out and --log-jsonl cannot both be - (standard output)\n", cmd);
        return -1;
    }
    if (o->probe && !o->probe[0]) {
        fprintf(stderr, "attnviz %s: --probe: the text is empty\n", cmd);
        return -1;
    }
    return 0;
}

/* ---- progress ------------------------------------------------------------------------ */

typedef struct {
    bool tty;
    double last_draw;
    long every;               /* plain lines: one per `every` steps */
    float loss_avg, acc_avg;  /* exponential moving averages */
} Progress;

static void fmt_time(char *buf, size_t n, double s) {
    if (s < 60) snprintf(buf, n, "%.0fs", s);
    else if (s < 3600) snprintf(buf, n, "%dm%02ds", (int)s / 60, (int)s % 60);
    else snprintf(buf, n, "%dh%02dm", (int)s / 3600, (int)s % 3600 / 60);
}

static void progress_update(Progress *p, const TrainStats *st, long total, double train_s, bool force) {
    float a = st->step <= 1 ? 1.0f : 0.05f;
    p->loss_avg += a * (st->loss - p->loss_avg);
    p->acc_avg += a * (st->token_acc - p->acc_avg);
    double eta = st->step ? train_s / (double)st->step * (double)(total - st->step) : 0;
    char eta_s[32];
    fmt_time(eta_s, sizeof eta_s, eta);
    if (p->tty) {
        double t = now_s();
        if (!force && t - p->last_draw < 0.1) return;
        p->last_draw = t;
        enum { W = 24 };
        int fill = total ? (int)((double)W * (double)st->step / (double)total) : W;
        char bar[W + 1];
        for (int i = 0; i < W; i++) bar[i] = i < fill ? '#' : '.';
        bar[W] = 0;
        fprintf(stderr, "\r\033[K[%s] step %ld/%ld  loss %.4f  train acc %5.1f%%  p_tf %.2f  ETA %s", bar,
                st->step, total, p->loss_avg, 100.0 * p->acc_avg, st->tf_p, eta_s);
        fflush(stderr);
    } else if (force || st->step % p->every == 0) {
        fprintf(stderr, "step %ld/%ld  loss %.4f  train acc %5.1f%%  p_tf %.2f  %.1fs  ETA %s\n", st->step,
                total, p->loss_avg, 100.0 * p->acc_avg, st->tf_p, train_s, eta_s);
    }
}

static void progress_end_line(Progress *p) {
    if (p->tty) fprintf(stderr, "\n");
}

/* ---- the session ---------------------------------------------------------------------- */

/* The model configuration from the options. EXIT_OK, or EXIT_USAGE after a
 * message on stderr. */
static int configure(const char *cmd, const TrainOpts *o, const Task *task, ModelConfig *cfg,
                     TfSchedule *sched) {
    *cfg = (ModelConfig){0};
    cfg->tokenizer = task ? task->tokenizer : TOK_CHAR;
    /* the table's choices (TRAIN_OPTS) are the engine's names: these parse */
    if (o->tokenizer) tokenizer_parse(o->tokenizer, &cfg->tokenizer);
    cell_parse(o->cell, &cfg->cell);
    style_parse(o->style, &cfg->style);
    score_parse(o->score, &cfg->score);
    tf_schedule_parse(o->tf_schedule, sched);
    cfg->bidirectional = o->bidirectional;
    cfg->input_feed = o->input_feed;
    cfg->reverse_source = o->reverse_source;
    cfg->attn_bias = o->attn_bias;
    cfg->source_eos = o->source_eos;
    cfg->embed = (int)o->embed;
    cfg->hidden = (int)o->hidden;
    cfg->enc_hidden = o->enc_hidden > 0 ? (int)o->enc_hidden
                      : o->bidirectional ? (int)(o->hidden / 2 > 0 ? o->hidden / 2 : 1) : (int)o->hidden;
    bool needs_A = cfg->score == SCORE_CONCAT || cfg->score == SCORE_ADDITIVE;
    cfg->attn_dim = o->attn_dim >= 0 ? (int)o->attn_dim : needs_A ? (int)o->hidden : 0;
    char err[AV_ERR_LEN];
    if (model_config_check(cfg, err)) {
        fprintf(stderr, "attnviz %s: %s\n", cmd, err);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* The training and held-out pairs (tasks/learn_data.h), with what the
 * loading did said on stderr. EXIT_OK, or EXIT_USER after a message on
 * stderr with nothing left allocated. */
static int load_data(const char *cmd, const TrainOpts *o, const Task *task, Pairs *train, Pairs *test) {
    char err[AV_ERR_LEN];
    LearnDataDesc dd = {.task = task, .train = o->train, .test = o->test, .n_train = o->n_train, .seed = o->seed};
    LearnDataInfo info;
    if (learn_data_load(&dd, train, test, &info, err)) {
        fprintf(stderr, "attnviz %s: %s\n", cmd, err);
        return EXIT_USER;
    }
    if (info.train_header)
        fprintf(stderr, "attnviz %s: %s: line %d is a header (source, target), not a pair: skipped\n", cmd,
                o->train, info.train_header);
    if (info.test_header)
        fprintf(stderr, "attnviz %s: %s: line %d is a header (source, target), not a pair: skipped\n", cmd,
                o->test, info.test_header);
    if (info.split_by_hash)
        fprintf(stderr, "held out %d of %d pairs of %s (by hash) for testing\n", info.held_out, info.total, o->train);
    return EXIT_OK;
}

int train_session(const char *cmd, const TrainOpts *o, LearnSession **out) {
    *out = NULL;
    const Task *task = o->task ? task_find(o->task) : NULL;
    if (o->task && !task) {
        fprintf(stderr, "attnviz %s: unknown task '%s' (attnviz data --help lists them)\n", cmd, o->task);
        return EXIT_USAGE;
    }
    ModelConfig cfg;
    TfSchedule sched;
    int rc = configure(cmd, o, task, &cfg, &sched);
    if (rc != EXIT_OK) return rc;
    Pairs train = {0}, test = {0};
    if ((rc = load_data(cmd, o, task, &train, &test)) != EXIT_OK) return rc;

    /* the session: the model, the Trainer and the step-0 line */
    const char *what = o->task ? o->task : o->train;
    TrainDesc td = {.batch = (int)o->batch, .lr = (float)o->lr, .clip = o->clip > 0 ? (float)o->clip : -1.0f,
                    .teacher_forcing = (float)o->tf, .tf_schedule = sched, .tf_param = (float)o->tf_param,
                    .steps = o->steps, .seed = o->seed, .threads = (int)o->threads};
    char made_by[32], err[AV_ERR_LEN];
    snprintf(made_by, sizeof made_by, "attnviz %s", cmd);
    bool logged = o->log_jsonl || o->live;
    LearnDesc ld = {.cfg = cfg, .train = td, .lr_decay = (float)o->lr_decay,
                    .lr_decay_every = o->lr_decay_every, .log_every = logged ? o->log_every : 0,
                    .eval_every = o->until >= 0 || logged ? o->eval_every : 0, .probe = o->probe,
                    .task = task, .film = o->live, .name = what, .made_by = made_by};
    int n_train = train.n, n_test = test.n;
    LearnSession *s = learn_create(&ld, &train, &test, err);
    pairs_free(&train);
    pairs_free(&test);
    if (!s) {
        fprintf(stderr, "attnviz %s: %s: %s\n", cmd, what, err);
        return EXIT_USER;
    }
    const Model *m = learn_model(s);
    int threads = learn_threads(s);
    fprintf(stderr, "%s: %d train / %d test pairs, vocab %d → %d, %zu parameters (%s %s%s, %s, score %s), "
            "%d thread%s\n", what, n_train, n_test, m->src.n, m->tgt.n, m->layout.n_params, cell_name(cfg.cell),
            cfg.bidirectional ? "bidirectional " : "", cfg.reverse_source ? "reversed-source" : "encoder",
            style_name(cfg.style), score_name(cfg.score), threads, threads == 1 ? "" : "s");
    *out = s;
    return EXIT_OK;
}

/* ---- the learning log's file ----------------------------------------------------------- */

typedef struct {
    int fd;              /* -1: no log */
    bool regular;        /* a regular file: cut back to `good` bytes on a failed write */
    off_t good;          /* bytes of whole lines written */
    int written;         /* lines written */
    char path[AV_ERR_LEN / 2];
} LogFile;

/* Straight into the file (or standard output): see the top of this file. */
static int log_open(LogFile *lf, const char *path, char *err) {
    av_escape(lf->path, sizeof lf->path, path, strlen(path));
    if (av_is_stdout(path)) {
        lf->fd = 1;
        return 0;
    }
    lf->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (lf->fd < 0) return av_err(err, "%s: %s", lf->path, strerror(errno));
    struct stat st;
    lf->regular = fstat(lf->fd, &st) == 0 && S_ISREG(st.st_mode);
    return 0;
}

/* Every line the session has logged and the file has not got yet. */
static int log_write(LogFile *lf, LearnSession *s, char *err) {
    if (lf->fd < 0) return 0;
    for (; lf->written < learn_line_count(s); lf->written++) {
        char *line = NULL;
        size_t n = 0;
        FILE *mem = open_memstream(&line, &n);
        if (!mem || logline_json(learn_line(s, lf->written), mem) | fclose(mem)) {
            free(line);
            return av_err(err, "%s: out of memory", lf->path);
        }
        for (size_t off = 0; off < n;) {
            ssize_t w = write(lf->fd, line + off, n - off);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) {
                int e = w < 0 ? errno : EIO;
                free(line);
                if (lf->regular && ftruncate(lf->fd, lf->good) == 0) lseek(lf->fd, lf->good, SEEK_SET);
                return av_err(err, "%s: %s (the log keeps its first %d whole lines)", lf->path, strerror(e),
                              lf->written);
            }
            off += (size_t)w;
        }
        free(line);
        lf->good += (off_t)n;
    }
    return 0;
}

static int log_close(LogFile *lf, char *err) {
    int rc = 0;
    if (lf->fd > 1 && close(lf->fd) != 0) rc = av_err(err, "%s: %s", lf->path, strerror(errno));
    lf->fd = -1;
    return rc;
}

/* ---- the headless run ------------------------------------------------------------------ */

/* What a run measured. */
typedef struct {
    TrainStats st;
    double wall;              /* seconds in learn_step and learn_log_now: training and evaluation */
    bool reached;             /* --until-accuracy was reached                                      */
} RunStats;

/* The training steps, logging as they go, with --until-accuracy's checks.
 * 0, or -1 after a message on stderr. */
static int train_steps(const char *cmd, const TrainOpts *o, LearnSession *s, LogFile *log, RunStats *r) {
    char err[AV_ERR_LEN];
    Progress prog = {.tty = isatty(2) == 1, .every = o->steps >= 2000 ? o->steps / 20 : 100};
    for (long k = 0; k < o->steps; k++) {
        double t0 = now_s();
        int failed = learn_step(s, 1, &r->st, err);
        r->wall += now_s() - t0;
        if (failed) {
            progress_end_line(&prog);
            fprintf(stderr, "attnviz %s: %s; nothing was saved\n", cmd, err);
            if (log_write(log, s, err)) fprintf(stderr, "attnviz %s: --log-jsonl: %s\n", cmd, err);
            return -1;
        }
        if (log_write(log, s, err)) {
            progress_end_line(&prog);
            fprintf(stderr, "attnviz %s: --log-jsonl: %s; training stopped, nothing was saved\n", cmd, err);
            return -1;
        }
        progress_update(&prog, &r->st, o->steps, learn_seconds(s), false);
        const LogLine *h = learn_last_heldout(s);
        if (o->until >= 0 && h && h->step == r->st.step) {
            double acc = h->heldout.n ? (double)h->heldout.exact / h->heldout.n : 0;
            if (!prog.tty) fprintf(stderr, "step %ld: held-out exact match %.2f%%\n", r->st.step, 100 * acc);
            if (acc >= o->until) {
                r->reached = true;
                break;
            }
        }
    }
    if (prog.tty || r->st.step % prog.every != 0) progress_update(&prog, &r->st, o->steps, learn_seconds(s), true);
    progress_end_line(&prog);
    return 0;
}

/* The held-out report, from the last line (learn.h: the last step has its
 * held-out measure). */
static void report(const TrainOpts *o, LearnSession *s, const RunStats *r) {
    const LogLine *h = learn_last_heldout(s);
    EvalStats ev = h ? h->heldout : (EvalStats){0};
    double train_s = learn_seconds(s), eval_s = r->wall - train_s;
    double exact = ev.n ? (double)ev.exact / ev.n : 0;
    double tok = ev.tokens ? (double)ev.tokens_right / (double)ev.tokens : 0;
    bool quiet_stdout = (o->out && av_is_stdout(o->out)) || (o->log_jsonl && av_is_stdout(o->log_jsonl));
    FILE *say = quiet_stdout ? stderr : stdout; /* stdout then carries only the model or the log */
    fprintf(say, "held-out exact match %.2f%% (%d/%d), token accuracy %.2f%%, after %ld steps\n", 100 * exact,
            ev.exact, ev.n, 100 * tok, r->st.step);
    fprintf(say, "training time %.2f s (evaluation %.2f s excluded)\n", train_s, eval_s > 0 ? eval_s : 0);
    if (r->st.step == 0)
        fprintf(say, "the model is untrained (--steps 0): its weights are the initial random ones of --seed %llu\n",
                (unsigned long long)o->seed);
    if (o->until >= 0) {
        if (r->reached)
            fprintf(say, "reached %.2f%% >= %.2f%% in %.2f s of training, %ld steps\n", 100 * exact,
                    100 * o->until, train_s, r->st.step);
        else
            fprintf(say, "did not reach %.2f%% within %ld steps (%.2f s of training)\n", 100 * o->until,
                    r->st.step, train_s);
    }
}

int train_headless(const char *cmd, const TrainOpts *o, LearnSession *s) {
    char err[AV_ERR_LEN];
    LogFile log = {.fd = -1};
    if (o->log_jsonl && log_open(&log, o->log_jsonl, err)) {
        fprintf(stderr, "attnviz %s: --log-jsonl: %s\n", cmd, err);
        return EXIT_USER;
    }
    int rc = EXIT_USER;
    RunStats r = {0};
    if (log_write(&log, s, err)) {
        fprintf(stderr, "attnviz %s: --log-jsonl: %s; nothing was trained\n", cmd, err);
        goto done;
    }
    if (train_steps(cmd, o, s, &log, &r)) goto done;
    double e0 = now_s();
    if (learn_log_now(s, true, err)) {
        fprintf(stderr, "attnviz %s: evaluation: %s\n", cmd, err);
        goto done;
    }
    r.wall += now_s() - e0;
    if (log_write(&log, s, err) || log_close(&log, err)) {
        fprintf(stderr, "attnviz %s: --log-jsonl: %s; nothing was saved\n", cmd, err);
        goto done;
    }
    report(o, s, &r);
    if (!o->out) {
        fprintf(stderr, "not saved (no --out)\n");
        rc = EXIT_OK;
    } else if (learn_save(s, o->out, err)) {
        fprintf(stderr, "attnviz %s: %s\n", cmd, err);
    } else {
        fprintf(stderr, "saved %s\n", o->out);
        rc = EXIT_OK;
    }
done:
    log_close(&log, err);
    return rc;
}

int train_command(const OptCommand *c, int argc, char **argv) {
    TrainOpts o;
    int pr = train_opts_parse(c, argc, argv, &o);
    if (pr) return pr > 0 ? EXIT_OK : EXIT_USAGE;
    LearnSession *s;
    int rc = train_session(c->name, &o, &s);
    if (rc == EXIT_OK) rc = train_headless(c->name, &o, s);
    learn_free(s);
    return rc;
}

int cmd_train(int argc, char **argv) { return train_command(&CLI_TRAIN, argc, argv); }
