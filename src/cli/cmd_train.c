/* cmd_train.c — `attnviz train`: train a model on a task or on your own TSV
 * pairs, show progress, measure held-out exact match, save safetensors.
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
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "../base/outfile.h"
#include "../engine/seq2seq.h"
#include "../tasks/task.h"

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void usage(FILE *f) {
    fprintf(f,
        "usage: attnviz train (--task T | --train FILE.tsv [--test FILE.tsv]) [options] --out M.safetensors\n"
        "\n"
        "data:\n"
        "  --task T              dates, reverse, en-ko, en-fr or copy (`attnviz data --help`)\n"
        "  --train FILE.tsv      your own pairs: source TAB target per line\n"
        "  --test FILE.tsv       held-out pairs (default: ~10%% of --train, chosen by hash)\n"
        "  --tokenizer char|word (default: the task's; char for files)\n"
        "  --n-train N           pairs generated for --task (default 50000)\n"
        "  --reverse-source      the encoder reads the input backwards (Sutskever et al. 2014)\n"
        "model (MODEL.md):\n"
        "  --cell lstm|gru       (lstm)          --style luong|bahdanau (luong)\n"
        "  --score S             none, dot, scaled_dot, general, concat, additive (general)\n"
        "  --bidirectional       bidirectional encoder with a bridge to the decoder\n"
        "  --input-feed          Luong input feeding\n"
        "  --attn-bias           the attention layers and W_c get biases (nn.Linear's default)\n"
        "  --source-eos          append <eos> to every source (the PyTorch tutorial's convention)\n"
        "  --embed E (16)  --hidden H (64, the decoder)  --enc-hidden He (H, or H/2 when\n"
        "  bidirectional)  --attn-dim A (H for concat and additive)\n"
        "training:\n"
        "  --steps N (2000)  --batch B (32)  --lr LR (0.003, Adam)  --clip C (1, global norm; 0 off)\n"
        "  --lr-decay F --lr-decay-every N   lr = LR · F^(step/N), smoothly (default F = 1: constant)\n"
        "  --teacher-forcing P (1)  --tf-schedule constant|linear|exponential|inverse_sigmoid\n"
        "  --tf-param X (epsilon or kappa)  --seed S (1)\n"
        "  --until-accuracy A    stop once held-out exact match >= A (0..1); --steps is the cap\n"
        "  --eval-every N        steps between those evaluations (100)\n"
        "  --out M.safetensors   where to save the model (required; - for stdout, and the\n"
        "                        report then goes to stderr)\n"
        "\n"
        "Progress goes to stderr: a live bar on a terminal, plain lines otherwise.\n"
        "Exit codes: 0 done, 1 bad data or file, 2 bad usage.\n");
}

typedef struct {
    const char *task, *train, *test, *out, *tokenizer;
    const char *cell, *style, *score, *tf_schedule;
    bool bidirectional, input_feed, reverse_source, attn_bias, source_eos;
    long embed, hidden, enc_hidden, attn_dim, steps, batch, n_train, eval_every;
    double lr, clip, tf, tf_param, until, lr_decay;
    long lr_decay_every;
    uint64_t seed;
} Opts;

static int parse(int argc, char **argv, Opts *o) {
    *o = (Opts){.cell = "lstm", .style = "luong", .score = "general", .tf_schedule = "constant",
                .embed = 16, .hidden = 64, .enc_hidden = -1, .attn_dim = -1, .steps = 2000,
                .batch = 32, .n_train = 50000, .eval_every = 100, .lr = 3e-3, .clip = 1.0,
                .tf = 1.0, .tf_param = 0, .until = -1, .seed = 1, .lr_decay = 1,
                .lr_decay_every = 1000};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) return 1;
        if (!strcmp(a, "--bidirectional")) { o->bidirectional = true; continue; }
        if (!strcmp(a, "--input-feed")) { o->input_feed = true; continue; }
        if (!strcmp(a, "--reverse-source")) { o->reverse_source = true; continue; }
        if (!strcmp(a, "--attn-bias")) { o->attn_bias = true; continue; }
        if (!strcmp(a, "--source-eos")) { o->source_eos = true; continue; }
        if (strncmp(a, "--", 2) != 0) {
            fprintf(stderr, "attnviz train: unexpected argument '%s'\n", a);
            return -1;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "attnviz train: %s needs a value\n", a);
            return -1;
        }
        const char *v = argv[++i];
        const char *C = "train";
        int bad = 0;
        if (!strcmp(a, "--task")) o->task = v;
        else if (!strcmp(a, "--train")) o->train = v;
        else if (!strcmp(a, "--test")) o->test = v;
        else if (!strcmp(a, "--out")) o->out = v;
        else if (!strcmp(a, "--tokenizer")) o->tokenizer = v;
        else if (!strcmp(a, "--cell")) o->cell = v;
        else if (!strcmp(a, "--style")) o->style = v;
        else if (!strcmp(a, "--score")) o->score = v;
        else if (!strcmp(a, "--tf-schedule")) o->tf_schedule = v;
        else if (!strcmp(a, "--embed")) bad = cli_int(C, a, v, 1, 4096, &o->embed);
        else if (!strcmp(a, "--hidden")) bad = cli_int(C, a, v, 1, 4096, &o->hidden);
        else if (!strcmp(a, "--enc-hidden")) bad = cli_int(C, a, v, 1, 4096, &o->enc_hidden);
        else if (!strcmp(a, "--attn-dim")) bad = cli_int(C, a, v, 0, 4096, &o->attn_dim);
        else if (!strcmp(a, "--steps")) bad = cli_int(C, a, v, 0, 100000000, &o->steps);
        else if (!strcmp(a, "--batch")) bad = cli_int(C, a, v, 1, 4096, &o->batch);
        else if (!strcmp(a, "--n-train")) bad = cli_int(C, a, v, 1, 10000000, &o->n_train);
        else if (!strcmp(a, "--eval-every")) bad = cli_int(C, a, v, 1, 100000000, &o->eval_every);
        else if (!strcmp(a, "--lr")) bad = cli_float(C, a, v, 1e-9, 10, &o->lr);
        else if (!strcmp(a, "--lr-decay")) bad = cli_float(C, a, v, 1e-6, 1, &o->lr_decay);
        else if (!strcmp(a, "--lr-decay-every")) bad = cli_int(C, a, v, 1, 100000000, &o->lr_decay_every);
        else if (!strcmp(a, "--clip")) bad = cli_float(C, a, v, 0, 1e9, &o->clip);
        else if (!strcmp(a, "--teacher-forcing")) bad = cli_float(C, a, v, 0, 1, &o->tf);
        else if (!strcmp(a, "--tf-param")) bad = cli_float(C, a, v, 0, 1e9, &o->tf_param);
        else if (!strcmp(a, "--until-accuracy")) bad = cli_float(C, a, v, 0, 1, &o->until);
        else if (!strcmp(a, "--seed")) bad = cli_u64(C, a, v, &o->seed);
        else {
            fprintf(stderr, "attnviz train: unknown option '%s'\n", a);
            return -1;
        }
        if (bad) return -1;
    }
    if (!o->task == !o->train) {
        fprintf(stderr, "attnviz train: give exactly one of --task T and --train FILE.tsv\n");
        return -1;
    }
    if (o->task && o->test) {
        fprintf(stderr, "attnviz train: --test goes with --train; a task has its own test split\n");
        return -1;
    }
    if (!o->out) {
        fprintf(stderr, "attnviz train: --out M.safetensors is required\n");
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
        fprintf(stderr, "\r\033[K[%s] step %ld/%ld  loss %.4f  acc %5.1f%%  p_tf %.2f  ETA %s", bar,
                st->step, total, p->loss_avg, 100.0 * p->acc_avg, st->tf_p, eta_s);
        fflush(stderr);
    } else if (force || st->step % p->every == 0) {
        fprintf(stderr, "step %ld/%ld  loss %.4f  acc %5.1f%%  p_tf %.2f  %.1fs  ETA %s\n", st->step,
                total, p->loss_avg, 100.0 * p->acc_avg, st->tf_p, train_s, eta_s);
    }
}

static void progress_end_line(Progress *p) {
    if (p->tty) fprintf(stderr, "\n");
}

/* ---- data ----------------------------------------------------------------------------- */

/* About 1 in 10 sources, by a hash independent of the tasks' split (a file
 * written by `data --split train` has no test-bucket pairs at all). */
static bool held_out(const char *src) {
    uint64_t h = task_hash(src) ^ 0x9E3779B97F4A7C15ull;   /* a bijective remix */
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 29;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 32;
    return h % 10 == 0;
}

/* Split off the held-out pairs of `all`. */
static int hold_out(Pairs *all, Pairs *test) {
    memset(test, 0, sizeof *test);
    int n_test = 0;
    for (int i = 0; i < all->n; i++) n_test += held_out(all->src[i]);
    if (n_test == 0 || n_test == all->n) return -1;
    test->src = malloc((size_t)n_test * sizeof *test->src);
    test->tgt = malloc((size_t)n_test * sizeof *test->tgt);
    if (!test->src || !test->tgt) {
        free(test->src);
        free(test->tgt);
        return -1;
    }
    int k = 0;
    for (int i = 0; i < all->n; i++) {
        if (held_out(all->src[i])) {
            test->src[test->n] = all->src[i];
            test->tgt[test->n++] = all->tgt[i];
        } else {
            all->src[k] = all->src[i];
            all->tgt[k++] = all->tgt[i];
        }
    }
    all->n = k;
    return 0;
}

/* ---- the command ---------------------------------------------------------------------- */

/* The model configuration from the options. EXIT_OK, or EXIT_USAGE after a
 * message on stderr. */
static int configure(const Opts *o, const Task *task, ModelConfig *cfg, TfSchedule *sched) {
    *cfg = (ModelConfig){0};
    cfg->tokenizer = task ? task->tokenizer : TOK_CHAR;
    if (o->tokenizer && tokenizer_parse(o->tokenizer, &cfg->tokenizer)) {
        fprintf(stderr, "attnviz train: --tokenizer: expected char or word, got '%s'\n", o->tokenizer);
        return EXIT_USAGE;
    }
    if (cell_parse(o->cell, &cfg->cell)) {
        fprintf(stderr, "attnviz train: --cell: expected lstm or gru, got '%s'\n", o->cell);
        return EXIT_USAGE;
    }
    if (style_parse(o->style, &cfg->style)) {
        fprintf(stderr, "attnviz train: --style: expected luong or bahdanau, got '%s'\n", o->style);
        return EXIT_USAGE;
    }
    if (score_parse(o->score, &cfg->score)) {
        fprintf(stderr, "attnviz train: --score: expected none, dot, scaled_dot, general, concat or "
                        "additive, got '%s'\n", o->score);
        return EXIT_USAGE;
    }
    if (tf_schedule_parse(o->tf_schedule, sched)) {
        fprintf(stderr, "attnviz train: --tf-schedule: expected constant, linear, exponential or "
                        "inverse_sigmoid, got '%s'\n", o->tf_schedule);
        return EXIT_USAGE;
    }
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
        fprintf(stderr, "attnviz train: %s\n", err);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* The training and held-out pairs: the task's splits, or --train with
 * --test (else some of --train held out by hash). EXIT_OK, or EXIT_USER
 * after a message on stderr with nothing left allocated. */
static int load_data(const Opts *o, const Task *task, Pairs *train, Pairs *test) {
    char err[AV_ERR_LEN];
    if (task) {
        if (task_pairs(task, SPLIT_TRAIN, (int)o->n_train, o->seed, train, err) ||
            task_pairs(task, SPLIT_TEST, TASK_TEST_N, TASK_TEST_SEED, test, err)) {
            fprintf(stderr, "attnviz train: %s\n", err);
            pairs_free(train);
            return EXIT_USER;
        }
        return EXIT_OK;
    }
    if (pairs_read_tsv(o->train, train, err)) {
        fprintf(stderr, "attnviz train: %s\n", err);
        return EXIT_USER;
    }
    if (train->header_line)
        fprintf(stderr, "attnviz train: %s: line %d is a header (source, target), not a pair: skipped\n", o->train,
                train->header_line);
    if (o->test) {
        if (pairs_read_tsv(o->test, test, err)) {
            fprintf(stderr, "attnviz train: %s\n", err);
            pairs_free(train);
            return EXIT_USER;
        }
        if (test->header_line)
            fprintf(stderr, "attnviz train: %s: line %d is a header (source, target), not a pair: skipped\n",
                    o->test, test->header_line);
    } else if (hold_out(train, test)) {
        fprintf(stderr, "attnviz train: %s: too few pairs (%d) to hold some out; give --test\n", o->train, train->n);
        pairs_free(train);
        return EXIT_USER;
    } else {
        fprintf(stderr, "held out %d of %d pairs of %s (by hash) for testing\n", test->n, test->n + train->n, o->train);
    }
    return EXIT_OK;
}

/* What a run measured. */
typedef struct {
    TrainStats st;
    EvalStats ev;
    double train_s, eval_s;   /* seconds of training, and of evaluation (excluded) */
    bool reached;             /* --until was reached                              */
} RunStats;

/* The training steps, with --until's evaluations. 0, or -1 after a message
 * on stderr. */
static int train_steps(const Opts *o, Model *m, Trainer *tr, const Dataset *dtrain, const Dataset *dtest, RunStats *r) {
    char err[AV_ERR_LEN];
    Progress prog = {.tty = isatty(2) == 1, .every = o->steps >= 2000 ? o->steps / 20 : 100};
    for (long k = 0; k < o->steps; k++) {
        double t0 = now_s();
        if (o->lr_decay < 1) trainer_set_lr(tr, (float)(o->lr * pow(o->lr_decay, (double)k / (double)o->lr_decay_every)));
        if (trainer_step(tr, dtrain, &r->st, err)) {
            progress_end_line(&prog);
            fprintf(stderr, "attnviz train: step %ld: %s\n", k + 1, err);
            return -1;
        }
        r->train_s += now_s() - t0;
        if (!isfinite(r->st.loss)) {
            progress_end_line(&prog);
            fprintf(stderr, "attnviz train: step %ld: the loss is not finite; try a smaller --lr\n", k + 1);
            return -1;
        }
        progress_update(&prog, &r->st, o->steps, r->train_s, false);
        if (o->until >= 0 && (r->st.step % o->eval_every == 0 || r->st.step == o->steps)) {
            double e0 = now_s();
            if (seq2seq_eval(m, dtest, &r->ev, err)) {
                progress_end_line(&prog);
                fprintf(stderr, "attnviz train: evaluation: %s\n", err);
                return -1;
            }
            r->eval_s += now_s() - e0;
            double acc = r->ev.n ? (double)r->ev.exact / r->ev.n : 0;
            if (!prog.tty) fprintf(stderr, "step %ld: held-out exact match %.2f%%\n", r->st.step, 100 * acc);
            if (acc >= o->until) {
                r->reached = true;
                break;
            }
        }
    }
    if (prog.tty || r->st.step % prog.every != 0) progress_update(&prog, &r->st, o->steps, r->train_s, true);
    progress_end_line(&prog);
    return 0;
}

/* The held-out evaluation, its report, and the model saved with its notes.
 * 0, or -1 after a message on stderr. */
static int evaluate_and_save(const Opts *o, Model *m, const Dataset *dtest, RunStats *r) {
    char err[AV_ERR_LEN];
    double e0 = now_s();
    if (!r->reached && seq2seq_eval(m, dtest, &r->ev, err)) {
        fprintf(stderr, "attnviz train: evaluation: %s\n", err);
        return -1;
    }
    r->eval_s += now_s() - e0;
    const EvalStats *ev = &r->ev;
    double exact = ev->n ? (double)ev->exact / ev->n : 0;
    double tok = ev->tokens ? (double)ev->tokens_right / (double)ev->tokens : 0;
    FILE *say = av_is_stdout(o->out) ? stderr : stdout;   /* --out -: stdout carries only the model */
    fprintf(say, "held-out exact match %.2f%% (%d/%d), token accuracy %.2f%%, after %ld steps\n", 100 * exact,
            ev->exact, ev->n, 100 * tok, r->st.step);
    fprintf(say, "training time %.2f s (evaluation %.2f s excluded)\n", r->train_s, r->eval_s);
    if (o->until >= 0) {
        if (r->reached)
            fprintf(say, "reached %.2f%% >= %.2f%% in %.2f s of training, %ld steps\n", 100 * exact,
                    100 * o->until, r->train_s, r->st.step);
        else
            fprintf(say, "did not reach %.2f%% within %ld steps (%.2f s of training)\n", 100 * o->until,
                    r->st.step, r->train_s);
    }
    char notes[512];
    snprintf(notes, sizeof notes,
             "attnviz train: steps %ld, batch %ld, lr %g (decay %g every %ld), clip %g, teacher forcing %g (%s), seed %llu; "
             "held-out exact match %.2f%%, token accuracy %.2f%% on %d pairs",
             r->st.step, o->batch, o->lr, o->lr_decay, o->lr_decay_every, o->clip, o->tf, o->tf_schedule,
             (unsigned long long)o->seed, 100 * exact, 100 * tok, ev->n);
    m->task = strdup(o->task ? o->task : o->train);
    m->notes = strdup(notes);
    m->trained_steps = r->st.step;
    if (model_save(m, o->out, err)) {
        fprintf(stderr, "attnviz train: %s\n", err);
        return -1;
    }
    fprintf(stderr, "saved %s\n", o->out);
    return 0;
}

int cmd_train(int argc, char **argv) {
    Opts o;
    int pr = parse(argc, argv, &o);
    if (pr > 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (pr < 0) {
        fprintf(stderr, "(attnviz train --help lists the options)\n");
        return EXIT_USAGE;
    }
    const Task *task = o.task ? task_find(o.task) : NULL;
    if (o.task && !task) {
        fprintf(stderr, "attnviz train: unknown task '%s' (attnviz data --help lists them)\n", o.task);
        return EXIT_USAGE;
    }
    ModelConfig cfg;
    TfSchedule sched;
    int rc = configure(&o, task, &cfg, &sched);
    if (rc != EXIT_OK) return rc;
    Pairs train = {0}, test = {0};
    if ((rc = load_data(&o, task, &train, &test)) != EXIT_OK) return rc;

    rc = EXIT_USER;
    const char *what = o.task ? o.task : o.train;
    char err[AV_ERR_LEN];
    Vocab vs = {0}, vt = {0};
    Dataset dtrain = {0}, dtest = {0};
    Model m = {0};
    Trainer *tr = NULL;
    bool have_model = false;
    if (vocab_build(cfg.tokenizer, &train, 0, &vs, err) || vocab_build(cfg.tokenizer, &train, 1, &vt, err) ||
        dataset_build(&train, cfg.tokenizer, &vs, &vt, &dtrain, err) ||
        dataset_build(&test, cfg.tokenizer, &vs, &vt, &dtest, err)) {
        fprintf(stderr, "attnviz train: %s: %s\n", what, err);
        goto done;
    }
    Rng rng;
    rng_seed(&rng, o.seed);
    if (model_create(&m, &cfg, &vs, &vt, &rng, err)) {
        fprintf(stderr, "attnviz train: %s\n", err);
        goto done;
    }
    have_model = true;
    TrainDesc td = {.batch = (int)o.batch, .lr = (float)o.lr, .clip = o.clip > 0 ? (float)o.clip : -1.0f,
                    .teacher_forcing = (float)o.tf, .tf_schedule = sched, .tf_param = (float)o.tf_param,
                    .steps = o.steps, .seed = o.seed};
    if (!(tr = trainer_create(&m, &td, err))) {
        fprintf(stderr, "attnviz train: %s\n", err);
        goto done;
    }
    fprintf(stderr, "%s: %d train / %d test pairs, vocab %d → %d, %zu parameters (%s %s%s, %s, score %s)\n",
            what, train.n, test.n, vs.n, vt.n, m.layout.n_params, cell_name(cfg.cell),
            cfg.bidirectional ? "bidirectional " : "", cfg.reverse_source ? "reversed-source" : "encoder",
            style_name(cfg.style), score_name(cfg.score));
    RunStats r = {0};
    if (train_steps(&o, &m, tr, &dtrain, &dtest, &r) == 0 && evaluate_and_save(&o, &m, &dtest, &r) == 0) rc = EXIT_OK;
done:
    trainer_free(tr);
    if (have_model) model_free(&m);
    dataset_free(&dtrain);
    dataset_free(&dtest);
    vocab_free(&vs);
    vocab_free(&vt);
    pairs_free(&train);
    pairs_free(&test);
    return rc;
}
