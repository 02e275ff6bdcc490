/* test_backprop.c — lesson 09's claims hold on the shipped half-trained snapshot.
 *
 * The claims are read from the slides themselves: each check takes the
 * slide's own model, input, target, teacher forcing, step and lr, computes
 * the gradient with the engine (seq2seq_grad_trace, as the app does), and
 * looks for the numbers, formatted as the narration writes them, in the
 * English and the Korean narration of that slide. A retrained model or an
 * edited sentence that no longer says what the text says turns this red. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/gradtrace.h"
#include "engine/tokenize.h"
#include "lesson/lesson.h"
#include "paths.h"

typedef struct {
    Lesson en, ko;
} Course;

static void load_course(Course *c) {
    char err[AV_ERR_LEN];
    cr_assert_eq(lesson_load(LESSONS_DIR "/en/09-backprop.md", &c->en, err), 0, "%s", err);
    cr_assert_eq(lesson_load(LESSONS_DIR "/ko/09-backprop.md", &c->ko, err), 0, "%s", err);
    cr_assert_eq(c->en.n_slides, c->ko.n_slides);
}

/* The slide (index) that shows model (its name contains it) with these directives; -1 when none does. */
static int find_slide(const Lesson *L, const char *model, bool backward, int bphase, int step, float lr) {
    for (int i = 0; i < L->n_slides; i++) {
        const LessonSlide *s = &L->slides[i];
        if (!s->model || strcmp(s->model, model) || s->backward != backward) continue;
        if (backward && (int)lesson_slide_back_phase(s) != bphase) continue;
        if (!backward && (int)lesson_slide_phase(s) != bphase) continue;
        if (step && s->step != step) continue;
        if (lr > 0 && fabsf(s->lr - lr) > 1e-6f) continue;
        return i;
    }
    cr_assert_fail("lessons/en/09-backprop.md: no slide shows %s %s phase %d step %d lr %g", model,
                   backward ? "backward" : "forward", bphase, step, (double)lr);
    return -1;
}

/* A slide's narration as one string. */
static void narration(const LessonSlide *s, char *out, size_t cap) {
    size_t o = 0;
    out[0] = 0;
    for (int b = 0; b < s->n_blocks && o + 2 < cap; b++) {
        o += lesson_block_text(&s->blocks[b], out + o, cap - o);
        if (o >= cap) o = cap - 1;
        out[o++] = '\n';
        out[o] = 0;
    }
}

/* The text is in the slide's English and Korean narration. */
static void says_text(const Course *c, int i, const char *num, const char *what) {
    char text[8192];
    for (int k = 0; k < 2; k++) {
        const Lesson *L = k ? &c->ko : &c->en;
        narration(&L->slides[i], text, sizeof text);
        cr_expect(strstr(text, num) != NULL, "%s, slide %d ('%s'): the narration should say %s = %s", L->path, i + 1,
                  L->slides[i].title, what, num);
    }
}

/* The number, written as fmt writes it, is in both narrations. */
static void says(const Course *c, int i, const char *fmt, double x, const char *what) {
    char num[64];
    snprintf(num, sizeof num, fmt, x);
    says_text(c, i, num, what);
}

/* What the app computes for the slide: the decoding and its gradient. */
typedef struct {
    Model m;
    Trace tr;
    GradTrace g;
} Grad;

static void gradient(const LessonSlide *s, Grad *out) {
    char path[512], err[AV_ERR_LEN];
    snprintf(path, sizeof path, "%s/%s.safetensors", models_dir(), s->model);
    cr_assert_eq(model_load(&out->m, path, err), 0, "%s", err);
    int *src, S, *ref, R;
    cr_assert_eq(encode_text(&out->m.src, out->m.cfg.tokenizer, s->input, &src, &S, err), 0, "%s", err);
    cr_assert_eq(encode_text(&out->m.tgt, out->m.cfg.tokenizer, s->target, &ref, &R, err), 0, "%s", err);
    DecodeDesc d = {.reference = ref, .ref_len = R, .teacher_forcing = s->teacher_forcing > 0 ? s->teacher_forcing : 0,
                    .seed = (s->set >> LD_SEED & 1) ? s->seed : 1};
    cr_assert_eq(seq2seq_grad_trace(&out->m, src, S, &d, s->lr > 0 ? s->lr : 0.1f, &out->g, &out->tr, err), 0, "%s", err);
    free(src);
    free(ref);
}

static void gradient_free(Grad *g) {
    grad_trace_free(&g->g);
    trace_free(&g->tr);
    model_free(&g->m);
}

static int source(const Trace *tr, const char *word) {
    for (int s = 0; s < tr->S; s++)
        if (!strcmp(tr->src_tokens[s], word)) return s;
    cr_assert_fail("'%s' is not in the source", word);
    return -1;
}

static int target(const Trace *tr, const char *word) {
    int id = vocab_find(&tr->tgt, word);
    cr_assert_neq(id, TOK_UNK, "'%s' is not in the target vocabulary", word);
    return id;
}

static float blame(const GradTrace *g, int s) {
    double q = 0;
    for (int i = 0; i < g->E; i++) q += (double)g->d_source_embeddings[(size_t)s * g->E + i] * g->d_source_embeddings[(size_t)s * g->E + i];
    return (float)sqrt(q);
}

static int argmax(const float *x, int n) {
    int b = 0;
    for (int i = 1; i < n; i++)
        if (x[i] > x[b]) b = i;
    return b;
}

/* The example: "your woman wants the letter", step 4 says READ (읽어) where the reference says WANT (원해), looking
 * at the object LETTER more than at the verb WANTS. */
#define SNAP "en-ko-general-step500"
#define WANT "원해"
#define READ "읽어"
#define WANTS "wants"
#define LETTER "letter"

/* Slides 1–3: the mistake, the loss, the output gradient. */
static void the_mistake(const Course *c) {
    const Lesson *L = &c->en;
    int i = find_slide(L, SNAP, false, PH_OUTPUT, 4, 0);
    Grad G;
    gradient(&L->slides[i], &G);
    const TraceStep *st = &G.tr.steps[3];
    int want = target(&G.tr, WANT), read = target(&G.tr, READ), wants = source(&G.tr, WANTS), letter = source(&G.tr, LETTER);
    cr_expect_eq(st->reference_id, want, "step 4's reference is " WANT);
    cr_expect_eq(st->token_id, read, "step 4: the model says " READ ", the narration says so");
    cr_expect_eq(argmax(st->weights, G.tr.S), letter, "step 4 looks most at " LETTER);
    says(c, i, "%.3f", st->probs[want], "p(" WANT ")");
    says(c, i, "%.2f", st->weights[letter], "a(" LETTER ")");
    says(c, i, "%.2f", st->weights[wants], "a(" WANTS ")");
    i = find_slide(L, SNAP, true, BPH_LOSS, 4, 0);
    says(c, i, "%.3f", st->probs[want], "p(" WANT ")");
    says(c, i, "%.3f", -log(st->probs[want]), "-log p(" WANT ")");
    says(c, i, "%.3f", G.g.loss, "L");
    says(c, i, "T = %.0f", G.g.T, "T");
    i = find_slide(L, SNAP, true, BPH_LOGITS, 4, 0);
    const float *dz = G.g.steps[3].d_logits;
    says(c, i, "(%.3f - 1)", st->probs[want], "p(" WANT ") in (p - 1)");
    says(c, i, "%.3f", dz[want], "∂L/∂z(" WANT ")");
    says(c, i, "%+.3f", dz[read], "∂L/∂z(" READ ")");
    cr_expect_lt(dz[want], 0);
    gradient_free(&G);
}

/* Slides 6–9: the weights, the scores, where the blame lands. */
static void the_gradient(const Course *c) {
    const Lesson *L = &c->en;
    int i = find_slide(L, SNAP, true, BPH_WEIGHTS, 4, 0);
    Grad G;
    gradient(&L->slides[i], &G);
    const GradStep *gs = &G.g.steps[3];
    int wants = source(&G.tr, WANTS), letter = source(&G.tr, LETTER), S = G.tr.S;
    says(c, i, "%+.2f", gs->d_weights[letter], "∂L/∂a(" LETTER ")");
    says(c, i, "%+.2f", gs->d_weights[wants], "∂L/∂a(" WANTS ")");
    for (int s = 0; s < S; s++) cr_expect_gt(gs->d_weights[s], 0, "the narration says every word's ∂L/∂a is positive");
    i = find_slide(L, SNAP, true, BPH_SCORES, 4, 0);
    float neg[64];
    for (int s = 0; s < S && s < 64; s++) neg[s] = -gs->d_scores[s];
    cr_expect_eq(argmax(neg, S), wants, "the score of " WANTS " is pushed up most");
    cr_expect_eq(argmax(gs->d_scores, S), letter, "the score of " LETTER " is pushed down most");
    says(c, i, "%.3f", gs->d_scores[wants], "∂L/∂score(" WANTS ")");
    says(c, i, "%+.3f", gs->d_scores[letter], "∂L/∂score(" LETTER ")");
    i = find_slide(L, SNAP, true, BPH_ENCODER, 4, 0);
    float b[64];
    for (int s = 0; s < S && s < 64; s++) b[s] = blame(&G.g, s);
    cr_expect_eq(argmax(b, S), letter, "the mistake is blamed most on " LETTER);
    float most = b[letter];
    b[letter] = 0;
    cr_expect_eq(argmax(b, S), wants, "then on " WANTS);
    says(c, i, "%.2f", most, "‖∂L/∂x(" LETTER ")‖");
    says(c, i, "%.2f", b[wants], "‖∂L/∂x(" WANTS ")‖");
    gradient_free(&G);
}

/* Slides 10–11: one step at η = 0.1 moves the attention to the verb; at η = 0.5 it breaks step 3. */
static void one_step(const Course *c) {
    const Lesson *L = &c->en;
    int i = find_slide(L, SNAP, true, BPH_STEP, 4, 0.1f);
    Grad G;
    gradient(&L->slides[i], &G);
    const AfterStep *a = &G.g.after;
    int wants = source(&G.tr, WANTS), letter = source(&G.tr, LETTER), S = G.tr.S;
    const float *w0 = G.tr.steps[3].weights, *w1 = a->weights + 3 * S;
    cr_expect_float_eq(a->lr, 0.1f, 1e-7);
    cr_expect_eq(argmax(w1, S), wants, "after one step, step 4 looks most at " WANTS);
    cr_expect_lt(a->loss, G.g.loss);
    char b[96];
    snprintf(b, sizeof b, "%.2f → %.2f", (double)w0[wants], (double)w1[wants]);
    says_text(c, i, b, "a(" WANTS ") before → after");
    snprintf(b, sizeof b, "%.2f → %.2f", (double)w0[letter], (double)w1[letter]);
    says_text(c, i, b, "a(" LETTER ") before → after");
    snprintf(b, sizeof b, "%.3f → %.3f", (double)G.tr.steps[3].probs[G.tr.steps[3].reference_id], (double)a->p_reference[3]);
    says_text(c, i, b, "p(" WANT ") before → after");
    snprintf(b, sizeof b, "%.3f → %.3f", (double)G.g.loss, (double)a->loss);
    says_text(c, i, b, "L before → after");
    gradient_free(&G);

    i = find_slide(L, SNAP, true, BPH_STEP, 3, 0.5f);
    gradient(&L->slides[i], &G);
    a = &G.g.after;
    cr_expect_gt(a->loss, G.g.loss, "at η = 0.5 the loss goes up");
    says(c, i, "%.3f", G.tr.steps[2].probs[G.tr.steps[2].reference_id], "p(편지를) before");
    says(c, i, "%.3f", a->p_reference[2], "p(편지를) after");
    says(c, i, "%.3f", G.g.loss, "L before");
    says(c, i, "%.3f", a->loss, "L after");
    cr_expect_eq(argmax(a->weights + 2 * G.tr.S, G.tr.S), source(&G.tr, WANTS), "step 3 jumps to " WANTS " too");
    gradient_free(&G);
}

/* Slides 12–13: a free-running step reads the model's own 읽어; without attention only the last state gets gradient. */
static void the_rest(const Course *c) {
    const Lesson *L = &c->en;
    int i = find_slide(L, SNAP, true, BPH_SPLIT, 5, 0);
    Grad G;
    gradient(&L->slides[i], &G);
    cr_expect_eq(G.tr.steps[4].input_id, target(&G.tr, READ), "free running, step 5 reads the model's own " READ);
    cr_expect(!G.tr.steps[4].teacher_forced);
    gradient_free(&G);

    i = find_slide(L, "en-ko-none", true, BPH_ENCODER, 4, 0);
    gradient(&L->slides[i], &G);
    const GradTrace *g = &G.g;
    bool any = false;
    for (int s = 0; s + 1 < g->S; s++)
        for (int k = 0; k < g->D; k++)
            cr_expect_eq(g->d_encoder_states[(size_t)s * g->D + k], 0, "without attention h̄_%d gets gradient", s + 1);
    for (int k = 0; k < g->D; k++) any |= g->d_encoder_states[(size_t)(g->S - 1) * g->D + k] != 0;
    cr_expect(any, "the last encoder state gets gradient through h_0");
    gradient_free(&G);
}

Test(backprop_lesson, its_claims_hold_on_the_shipped_snapshot) {
    Course c;
    load_course(&c);
    the_mistake(&c);
    the_gradient(&c);
    one_step(&c);
    the_rest(&c);
    lesson_free(&c.en);
    lesson_free(&c.ko);
}
