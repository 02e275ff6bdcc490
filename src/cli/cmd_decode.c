/* cmd_decode.c — `attnviz decode`: decode one input with a model, print the
 * output text on the last line of stdout, optionally write the full trace
 * and, against a reference, the gradient trace.
 *
 * With --target, decoding runs against that reference for exactly its
 * length + 1 steps (like training), and --teacher-forcing P replays
 * training's coin flips from --seed: heads feed the reference token, tails
 * the model's own previous prediction. Without --target, greedy decoding
 * runs until <eos> or --max-len steps. --grad-json runs the backward pass
 * of that same decoding (engine/gradtrace.h) and one SGD step at --lr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../base/outfile.h"
#include "../engine/gradtrace.h"
#include "../engine/seq2seq.h"
#include "../engine/tokenize.h"

/* The trace and the gradient trace (either may be NULL), both or neither:
 * each goes to a temporary file, and only when both are written whole are
 * they put in place (base/outfile.h). */
static int write_json(const char *json, const char *grad, const Trace *tr, const GradTrace *gt, char *err) {
    AvOut ot = {0}, og = {0};
    FILE *ft = json ? av_out_open(&ot, json, err) : NULL, *fg = NULL;
    if (json && !ft) return -1;
    if (grad && !(fg = av_out_open(&og, grad, err))) {
        av_out_abort(&ot);
        return -1;
    }
    if (ft) trace_print_json(ft, tr);
    int rc = fg ? grad_trace_print_json(fg, gt, tr, err) : 0;
    if (!rc && ft) rc = av_out_finish(&ot, err);
    if (!rc && fg) rc = av_out_finish(&og, err);
    if (!rc && ft) rc = av_out_close(&ot, err);
    if (!rc && fg) rc = av_out_close(&og, err);
    if (rc) {
        av_out_abort(&ot);
        av_out_abort(&og);
    }
    return rc;
}

/* What the command line asks. */
typedef struct {
    const char *model_path, *input, *target, *json, *grad;
    double tf, lr;
    uint64_t seed;
    long max_len;
} DecodeOpts;

static const Opt DECODE_OPTS[] = {
    {"model", 'm', OPT_PATH, OPT_AT(DecodeOpts, model_path), .arg = "FILE", .flags = OPT_REQUIRED,
     .help = "the model (.safetensors, docs/FORMAT.md)"},
    {"input", 'i', OPT_STRING, OPT_AT(DecodeOpts, input), .arg = "TEXT", .flags = OPT_REQUIRED,
     .help = "the source text"},
    {"target", 0, OPT_STRING, OPT_AT(DecodeOpts, target), .arg = "TEXT",
     .help = "a reference output: decode exactly its length + 1 steps"},
    {"teacher-forcing", 0, OPT_FLOAT, OPT_AT(DecodeOpts, tf), .arg = "P", .lo = 0, .hi = 1, .def = "0",
     .needs = "target", .help = "with --target: probability in [0, 1] of feeding the\nreference token at each step t >= 2"},
    {"seed", 0, OPT_U64, OPT_AT(DecodeOpts, seed), .arg = "N", .def = "0", .needs = "target",
     .help = "with --target: seed of the teacher-forcing coin flips"},
    {"max-len", 0, OPT_INT, OPT_AT(DecodeOpts, max_len), .arg = "N", .lo = 1, .hi = 10000, .def = "64",
     .help = "steps without --target (at most 10000)"},
    {"trace-json", 0, OPT_PATH, OPT_AT(DecodeOpts, json), .arg = "FILE",
     .help = "write every number of the decoding as JSON (- for\nstdout; the output line then goes to stderr)"},
    {"grad-json", 0, OPT_PATH, OPT_AT(DecodeOpts, grad), .arg = "FILE", .needs = "target",
     .help = "with --target: backpropagation through this decoding as\nJSON (every gradient of the loss against the "
             "reference,\nand the attention after one SGD step); - for stdout"},
    {"lr", 0, OPT_FLOAT, OPT_AT(DecodeOpts, lr), .arg = "ETA", .lo = 0, .hi = 100, .def = "0.1", .needs = "grad-json",
     .help = "with --grad-json: the learning rate of that step"},
    {0},
};

const OptCommand CLI_DECODE = {
    .name = "decode",
    .usage = "usage: attnviz decode --model M.safetensors --input TEXT [options]\n"
             "\n"
             "Decode TEXT with the model and print the output on the last line of stdout\n"
             "(characters joined for a char model, words joined by spaces for a word model).\n",
    .opts = DECODE_OPTS,
    .dst_size = sizeof(DecodeOpts),
};

/* argv → o: 0, 1 after --help, -1 after a message on stderr. */
static int parse(int argc, char **argv, DecodeOpts *o) {
    *o = (DecodeOpts){0};
    int rc = opt_parse(&CLI_DECODE, argc, argv, o, NULL);
    if (rc == 0 && av_is_stdout(o->json) && av_is_stdout(o->grad)) {
        fprintf(stderr, "attnviz decode: only one of --trace-json and --grad-json can be - (standard output)\n");
        return -1;
    }
    return rc;
}

int cmd_decode(int argc, char **argv) {
    DecodeOpts o;
    int pr = parse(argc, argv, &o);
    if (pr != 0) return pr > 0 ? EXIT_OK : EXIT_USAGE;
    const char *model_path = o.model_path, *input = o.input, *target = o.target, *json = o.json, *grad = o.grad;
    char err[AV_ERR_LEN];
    Model m;
    if (model_load(&m, model_path, err)) {
        fprintf(stderr, "attnviz decode: %s\n", err);
        return EXIT_USER;
    }
    int rc = EXIT_USER;
    int *src = NULL, *ref = NULL, S = 0, R = 0;
    Trace tr = {0};
    GradTrace gt = {0};
    char *text = NULL;
    if (cli_encode("decode", "--input", &m.src, m.cfg.tokenizer, input, &src, &S)) goto done;
    if (grad ? cli_reference_ids("decode", &m, target, &ref, &R)
             : target && cli_encode("decode", "--target", &m.tgt, m.cfg.tokenizer, target, &ref, &R))
        goto done;
    /* tokens that became <unk>: say so, and decode all the same */
    if (unknown_tokens_line(&m.src, m.cfg.tokenizer, input, err, sizeof err) > 0)
        fprintf(stderr, "attnviz decode: --input: %s (read as <unk>)\n", err);
    if (target && unknown_tokens_line(&m.tgt, m.cfg.tokenizer, target, err, sizeof err) > 0)
        fprintf(stderr, "attnviz decode: --target: %s (read as <unk>)\n", err);
    DecodeDesc d = {.max_len = (int)o.max_len, .reference = target ? ref : NULL, .ref_len = R,
                    .teacher_forcing = (float)o.tf, .seed = o.seed};
    /* the gradient trace decodes too: one forward pass for both files */
    if (grad ? seq2seq_grad_trace(&m, src, S, &d, (float)o.lr, &gt, &tr, err) : seq2seq_decode(&m, src, S, &d, &tr, err)) {
        char shown[256];
        av_escape(shown, sizeof shown, model_path, strlen(model_path));
        fprintf(stderr, "attnviz decode: %s: %s\n", shown, err);
        goto done;
    }
    if (write_json(json, grad, &tr, &gt, err)) {
        fprintf(stderr, "attnviz decode: %s\n", err);
        goto done;
    }
    int n = trace_output_len(&tr);
    int *ids = malloc((size_t)(n ? n : 1) * sizeof *ids);
    if (!ids) goto done;
    for (int i = 0; i < n; i++) ids[i] = tr.steps[i].token_id;
    text = decode_ids(&m.tgt, m.cfg.tokenizer, ids, n);
    free(ids);
    if (!text) goto done;
    FILE *say = av_is_stdout(json) || av_is_stdout(grad) ? stderr : stdout; /* stdout carries only the JSON */
    fprintf(say, "%s\n", text);
    rc = fflush(say) == 0 ? EXIT_OK : EXIT_USER;
done:
    free(text);
    grad_trace_free(&gt);
    trace_free(&tr);
    free(src);
    free(ref);
    model_free(&m);
    return rc;
}
