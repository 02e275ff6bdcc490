/* fuzz_tsv.c — a TSV file from outside, as `train --train FILE.tsv` uses it.
 *
 * The bytes are read with pairs_read_tsv. When they hold pairs, both
 * tokenizers build vocabularies and data sets from them, and a tiny model
 * built on those takes one training step and evaluates the pairs: every
 * length and token the file can produce reaches the engine. The pairs
 * written back as TSV must read back the same.
 */
#include "fuzz.h"

#include "engine/model.h"
#include "engine/seq2seq.h"
#include "tasks/task.h"

/* pairs_write_tsv, then pairs_read_tsv: the same pairs. */
static void round_trip(const Pairs *p) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    FUZZ_CHECK(f, "open_memstream");
    FUZZ_CHECK(pairs_write_tsv(f, p) == 0, "pairs_write_tsv");
    FUZZ_CHECK(fclose(f) == 0, "fclose");
    Pairs q;
    char err[AV_ERR_LEN];
    FUZZ_CHECK(pairs_read_tsv(fuzz_as_file((const uint8_t *)buf, len), &q, err) == 0,
               "written pairs do not read back: %s", err);
    FUZZ_CHECK(q.n == p->n, "%d pairs became %d", p->n, q.n);
    for (int i = 0; i < p->n; i++)
        FUZZ_CHECK(strcmp(p->src[i], q.src[i]) == 0 && strcmp(p->tgt[i], q.tgt[i]) == 0,
                   "pair %d changed", i + 1);
    pairs_free(&q);
    free(buf);
}

/* Vocabularies and data set from every pair; one training step and an
 * evaluation on the first few (the arithmetic, instrumented, is slow). */
static void train_on(const Pairs *p, TokenizerKind k) {
    char err[AV_ERR_LEN];
    Vocab vs = {0}, vt = {0};
    Dataset all = {0}, d = {0};
    Model m = {0};
    Trainer *tr = NULL;
    Pairs few = {.n = p->n < 4 ? p->n : 4, .src = p->src, .tgt = p->tgt};
    if (vocab_build(k, p, 0, &vs, err) || vocab_build(k, p, 1, &vt, err) ||
        dataset_build(p, k, &vs, &vt, &all, err))
        goto done;
    FUZZ_CHECK(all.n == p->n, "%d pairs became %d examples", p->n, all.n);
    FUZZ_CHECK(dataset_build(&few, k, &vs, &vt, &d, err) == 0, "%s", err);
    /* the smallest model with every kind of layer: LSTM, bidirectional,
     * attention with a hidden layer */
    ModelConfig c = {.cell = CELL_LSTM, .bidirectional = true, .style = STYLE_LUONG, .score = SCORE_CONCAT,
                     .embed = 2, .enc_hidden = 2, .hidden = 3, .attn_dim = 2, .tokenizer = k};
    Rng rng;
    rng_seed(&rng, 1);
    FUZZ_CHECK(model_create(&m, &c, &vs, &vt, &rng, err) == 0, "%s", err);
    TrainDesc td = {.batch = 4, .teacher_forcing = 0.5f, .steps = 1, .seed = 1};
    tr = trainer_create(&m, &td, err);
    FUZZ_CHECK(tr, "%s", err);
    TrainStats st;
    FUZZ_CHECK(trainer_step(tr, &d, &st, err) == 0, "%s", err);
    EvalStats ev;
    FUZZ_CHECK(seq2seq_eval(&m, &d, &ev, err) == 0, "%s", err);
    FUZZ_CHECK(ev.n == d.n && ev.exact <= ev.n && ev.tokens_right <= ev.tokens, "eval counts");
done:
    trainer_free(tr);
    if (m.params) model_free(&m);
    dataset_free(&d);
    dataset_free(&all);
    vocab_free(&vs);
    vocab_free(&vt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char err[AV_ERR_LEN];
    Pairs p;
    const char *path = fuzz_as_file(data, size);
    if (pairs_read_tsv(path, &p, err)) {
        fuzz_one_line(err, path);
        return 0;
    }
    FUZZ_CHECK(p.n > 0, "no pairs, yet no refusal");
    for (int i = 0; i < p.n; i++) (void)split_is_test(p.src[i]);
    round_trip(&p);
    train_on(&p, TOK_CHAR);
    train_on(&p, TOK_WORD);
    pairs_free(&p);
    return 0;
}
