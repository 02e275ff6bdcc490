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
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../base/outfile.h"
#include "../engine/gradtrace.h"
#include "../engine/seq2seq.h"
#include "../engine/tokenize.h"

static void usage(FILE *f) {
    fprintf(f,
        "usage: attnviz decode --model M.safetensors --input TEXT [options]\n"
        "\n"
        "Decode TEXT with the model and print the output on the last line of stdout\n"
        "(characters joined for a char model, words joined by spaces for a word model).\n"
        "\n"
        "options:\n"
        "  --model FILE            the model (.safetensors, see MODEL.md)\n"
        "  --input TEXT            the source text\n"
        "  --target TEXT           a reference output: decode exactly its length + 1 steps\n"
        "  --teacher-forcing P     with --target: probability in [0, 1] of feeding the\n"
        "                          reference token at each step t >= 2 (default 0)\n"
        "  --seed N                seed of the teacher-forcing coin flips (default 0)\n"
        "  --max-len N             steps without --target (default 64, at most 10000)\n"
        "  --trace-json FILE       write every number of the decoding as JSON (- for\n"
        "                          stdout; the output line then goes to stderr)\n"
        "  --grad-json FILE        with --target: backpropagation through this decoding as\n"
        "                          JSON (every gradient of the loss against the reference,\n"
        "                          and the attention after one SGD step); - for stdout\n"
        "  --lr ETA                with --grad-json: the learning rate of that step (default 0.1)\n"
        "  -h, --help              this help\n");
}

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

/* argv → o: 0, 1 after --help, -1 after a message on stderr. */
static int parse(int argc, char **argv, DecodeOpts *o) {
    static const struct option OPTS[] = {
        {"model", required_argument, NULL, 'm'},       {"input", required_argument, NULL, 'i'},
        {"target", required_argument, NULL, 't'},      {"teacher-forcing", required_argument, NULL, 'p'},
        {"seed", required_argument, NULL, 's'},        {"max-len", required_argument, NULL, 'l'},
        {"trace-json", required_argument, NULL, 'j'},  {"grad-json", required_argument, NULL, 'g'},
        {"lr", required_argument, NULL, 'r'},          {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *o = (DecodeOpts){.lr = 0.1, .max_len = 64};
    bool lr_given = false, tf_given = false, seed_given = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", OPTS, NULL)) != -1) {
        switch (c) {
        case 'm': o->model_path = optarg; break;
        case 'i': o->input = optarg; break;
        case 't': o->target = optarg; break;
        case 'p':
            if (cli_float("decode", "--teacher-forcing", optarg, 0.0, 1.0, &o->tf)) return -1;
            tf_given = true;
            break;
        case 's':
            if (cli_u64("decode", "--seed", optarg, &o->seed)) return -1;
            seed_given = true;
            break;
        case 'l':
            if (cli_int("decode", "--max-len", optarg, 1, 10000, &o->max_len)) return -1;
            break;
        case 'j': o->json = optarg; break;
        case 'g': o->grad = optarg; break;
        case 'r':
            if (cli_float("decode", "--lr", optarg, 0.0, 100.0, &o->lr)) return -1;
            lr_given = true;
            break;
        case 'h': usage(stdout); return 1;
        default: usage(stderr); return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "attnviz decode: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    if (!o->model_path || !o->input) {
        fprintf(stderr, "attnviz decode: --model and --input are required (see --help)\n");
        return -1;
    }
    if ((tf_given || seed_given) && !o->target) {
        fprintf(stderr, "attnviz decode: --teacher-forcing and --seed need --target\n");
        return -1;
    }
    if (o->grad && !o->target) {
        fprintf(stderr, "attnviz decode: --grad-json needs --target: the gradient is that of the loss "
                        "against a reference output\n");
        return -1;
    }
    if (lr_given && !o->grad) {
        fprintf(stderr, "attnviz decode: --lr needs --grad-json (it sets the step the gradient trace replays)\n");
        return -1;
    }
    if (av_is_stdout(o->json) && av_is_stdout(o->grad)) {
        fprintf(stderr, "attnviz decode: only one of --trace-json and --grad-json can be - (standard output)\n");
        return -1;
    }
    return 0;
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
    if (encode_text(&m.src, m.cfg.tokenizer, input, &src, &S, err)) {
        fprintf(stderr, "attnviz decode: --input: %s\n", err);
        goto done;
    }
    if (S == 0) {
        fprintf(stderr, "attnviz decode: --input has no tokens\n");
        goto done;
    }
    if (grad ? cli_reference_ids("decode", &m, target, &ref, &R)
             : target && encode_text(&m.tgt, m.cfg.tokenizer, target, &ref, &R, err)) {
        if (!grad) fprintf(stderr, "attnviz decode: --target: %s\n", err);
        goto done;
    }
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
