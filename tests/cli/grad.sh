#!/bin/sh
# decode --grad-json: the gradient trace's JSON against its own trace, the
# fields MODEL.md promises (and leaves out for score none), teacher-forcing
# coins, --lr, standard output, both files or neither, and every refusal.
. "$(dirname "$0")/lib/common.sh"
T=$D
PY=/usr/bin/python3

"$A" data --task reverse --n 200 --seed 4 > $T/rev.tsv
for s in general none; do
    "$A" train --train $T/rev.tsv --bidirectional --hidden 8 --embed 4 --steps 3 --batch 4 --score $s \
        --out $T/$s.safetensors > /dev/null 2> $T/err || no "train $s: exit $? $(cat $T/err)"
done
"$A" train --train $T/rev.tsv --style bahdanau --score dot --hidden 6 --embed 3 --steps 1 --batch 2 \
    --out $T/bd.safetensors > /dev/null 2> $T/err || no "train bahdanau: exit $? $(cat $T/err)"

# the two files of one decoding, coins included
for s in general none; do
    "$A" decode --model $T/$s.safetensors --input abcd --target dcba --teacher-forcing 0.5 --seed 7 \
        --trace-json $T/$s.t.json --grad-json $T/$s.g.json --lr 0.2 > $T/out 2> $T/err \
        || no "decode --grad-json ($s): exit $? $(cat $T/err)"
    [ "$(wc -l < $T/out)" -eq 1 ] || no "decode --grad-json ($s) printed $(wc -l < $T/out) lines on stdout"
    $PY - $T/$s.t.json $T/$s.g.json $s <<'EOF' || no "gradient trace JSON ($s), see above"
import json, math, sys
t, g, score = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
T, S = len(t["steps"]), len(t["source_tokens"])
assert g["source_tokens"] == t["source_tokens"] == list("abcd")
assert g["teacher_forcing"] == 0.5 and g["seed"] == 7
L = 0
ref = [s["reference"] for s in t["steps"]]
assert ref == list("dcba") + ["<eos>"], ref
for ts, gs in zip(t["steps"], g["steps"]):
    assert gs["input_token"] == ts["input_token"] and gs["teacher_forced"] == ts["teacher_forced"]
    assert gs["reference"] == ts["reference"] and gs["token"] == ts["token"]
    V = len(ts["probs"])
    # d_logits = (p - onehot(y*)) / T; the reference is the only negative entry
    neg = [v for v in range(V) if gs["d_logits"][v] < 0]
    assert len(neg) == 1, neg
    y = neg[0]
    L -= math.log(ts["probs"][y]) / T
    for v in range(V):
        want = (ts["probs"][v] - (v == y)) / T
        assert abs(gs["d_logits"][v] - want) < 1e-7, (v, gs["d_logits"][v], want)
    H, D = len(ts["hidden"]), len(t["encoder_states"][0])
    assert len(gs["d_hidden"]) == H and len(gs["d_output_state"]) == H
    att = ["d_context", "d_weights", "d_scores", "d_query"]
    if score == "none":
        assert not any(k in gs for k in att), "score none has attention gradients"
        continue
    assert len(gs["d_context"]) == D and len(gs["d_weights"]) == S and len(gs["d_query"]) == H
    for s in range(S):   # d_weights = h̄_s · d_context
        dot = sum(a * b for a, b in zip(t["encoder_states"][s], gs["d_context"]))
        assert abs(dot - gs["d_weights"][s]) < 1e-6, (s, dot, gs["d_weights"][s])
assert abs(g["loss"] - L) < 1e-5 * max(1, L), (g["loss"], L)
assert len(g["d_encoder_states"]) == S and len(g["d_encoder_states"][0]) == D
assert len(g["d_source_embeddings"]) == S and len(g["d_source_embeddings"][0]) == 4
assert "decoder.out.weight" in g["param_grad_norms"] and all(x >= 0 for x in g["param_grad_norms"].values())
if score == "none":
    assert "attention_grads" not in g
else:
    W = g["attention_grads"]["attention.W_a.weight"]
    assert len(W) == 8 and len(W[0]) == 8     # H × D
a = g["after_step"]
assert abs(a["lr"] - 0.2) < 1e-7 and len(a["steps"]) == T and a["loss"] < g["loss"], (a["loss"], g["loss"])
for s in a["steps"]:
    assert 0 < s["p_reference"] <= 1
    assert ("weights" in s) == (score != "none")
    if score != "none":
        assert abs(sum(s["weights"]) - 1) < 1e-5
EOF
done

# deterministic; --lr 0 replays the same numbers
"$A" decode --model $T/general.safetensors --input abcd --target dcba --teacher-forcing 0.5 --seed 7 \
    --grad-json $T/g2.json --lr 0.2 > /dev/null 2>&1
cmp -s $T/general.g.json $T/g2.json || no "decode --grad-json: two runs differ"
"$A" decode --model $T/general.safetensors --input abcd --target dcba --grad-json $T/g0.json --lr 0 \
    --trace-json $T/t0.json > /dev/null 2>&1 || no "--lr 0: exit $?"
$PY - $T/t0.json $T/g0.json <<'EOF' || no "--lr 0 changed the replay"
import json, sys
t, g = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
for ts, a in zip(t["steps"], g["after_step"]["steps"]):
    assert a["weights"] == ts["weights"]
assert g["after_step"]["loss"] == g["loss"]
EOF

# standard output carries only the JSON; the output line moves to stderr
"$A" decode --model $T/general.safetensors --input abcd --target dcba --grad-json - > $T/so 2> $T/se \
    || no "--grad-json -: exit $?"
$PY -c "import json, sys; json.load(open(sys.argv[1]))" $T/so || no "--grad-json -: stdout is not JSON"
[ "$(wc -l < $T/se)" -eq 1 ] || no "--grad-json -: the output line is not on stderr"

# refusals
check 2 "--grad-json without --target" "$A" decode --model $T/general.safetensors --input abc --grad-json $T/x.json
grep -q -- "--grad-json needs --target" $D/log || no "--grad-json without --target: message: $(cat $D/log)"
check 2 "--lr without --grad-json" "$A" decode --model $T/general.safetensors --input abc --target a --lr 0.1
check 2 "--lr -1" "$A" decode --model $T/general.safetensors --input abc --target a --grad-json $T/x.json --lr -1
check 2 "two JSON files on stdout" "$A" decode --model $T/general.safetensors --input abc --target a \
    --grad-json - --trace-json -
check 1 "a reference with unknown tokens" "$A" decode --model $T/general.safetensors --input abc \
    --target 'a#bé' --grad-json $T/x.json
grep -q "'#', 'é'" $D/log || no "unknown reference tokens are not named: $(cat $D/log)"
[ -e $T/x.json ] && no "a refused gradient trace left a file"
# both files or neither: the gradient trace cannot be written, so no trace either
check 1 "unwritable --grad-json" "$A" decode --model $T/general.safetensors --input abc --target cba \
    --trace-json $T/both.json --grad-json /nonexistent-dir/g.json
grep -q "/nonexistent-dir/g.json" $D/log || no "unwritable --grad-json: message lacks the path"
[ -e $T/both.json ] && no "--trace-json was written although --grad-json failed"

# export --grad: the figure and the numbers of ∂L/∂a_t(s), the same as the
# gradient trace's (export forces the reference: teacher forcing 1)
"$A" export --model $T/general.safetensors --input abcd --target dcba --grad d_weights --out $T/g.png \
    --svg $T/g.svg --csv $T/g.csv --npy $T/g.npy > /dev/null 2> $T/err || no "export --grad: exit $? $(cat $T/err)"
for f in g.png g.svg g.csv g.npy g.json; do [ -s $T/$f ] || no "export --grad did not write $f"; done
grep -q "url(#diverging)" $T/g.svg || no "export --grad: the SVG's colour scale is not the diverging one"
"$A" decode --model $T/general.safetensors --input abcd --target dcba --teacher-forcing 1 --grad-json $T/gf.json \
    > /dev/null 2>&1 || no "decode --grad-json with teacher forcing 1: exit $?"
$PY - $T/g.csv $T/gf.json $T/g.json <<'EOF2' || no "export --grad's CSV is not the gradient trace's d_weights"
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1])))
g = json.load(open(sys.argv[2]))
assert rows[0][1:] == g["source_tokens"], rows[0]
assert len(rows) == 1 + len(g["steps"])
for r, s in zip(rows[1:], g["steps"]):
    assert r[0] == s["reference"], (r[0], s["reference"])
    assert [float(x) for x in r[1:]] == s["d_weights"], (r, s["d_weights"])
side = json.load(open(sys.argv[3]))
assert "dL/da" in side["quantity"], side
EOF2
"$A" export --model $T/general.safetensors --input abcd --target dcba --grad d_scores --csv $T/s.csv > /dev/null \
    2>&1 || no "export --grad d_scores: exit $?"
cmp -s $T/s.csv $T/g.csv && no "d_scores and d_weights gave the same numbers"
check 2 "export --grad without --target" "$A" export --model $T/general.safetensors --input abc --grad d_weights \
    --out $T/x.png
grep -q -- "--grad needs --target" $D/log || no "export --grad without --target: message: $(cat $D/log)"
check 2 "export --grad d_query" "$A" export --model $T/general.safetensors --input abc --target a --grad d_query \
    --out $T/x.png
check 1 "export --grad, score none" "$A" export --model $T/none.safetensors --input abc --target a --grad d_weights \
    --out $T/x.png
check 1 "export --grad, unknown reference tokens" "$A" export --model $T/general.safetensors --input abc \
    --target 'a#' --grad d_weights --out $T/x.png
grep -q "'#'" $D/log || no "export --grad: unknown reference tokens are not named: $(cat $D/log)"
[ -e $T/x.png ] && no "a refused export left a file"

# a model whose gradient overflows (its forward pass does not): h̄ = 0 from
# zero source embeddings and encoder biases, times encoder and decoder input
# weights of 1e30 — 0 in the forward pass, 1e30 · 1e30 in the backward
$PY - $T/bd.safetensors $T/huge.safetensors <<'EOF' || no "could not build the overflowing model"
import json, struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
n = struct.unpack("<Q", data[:8])[0]
head = json.loads(data[8:8 + n])
E = int(head["__metadata__"]["embed"])
def put(name, value, cols_from=0):
    t = head[name]
    a, b = t["data_offsets"]
    rows, cols = (t["shape"] + [1])[:2]
    for r in range(rows):
        for c in range(cols_from, cols):
            struct.pack_into("<f", data, 8 + n + a + 4 * (r * cols + c), value)
for name in ("encoder.embedding.weight", "encoder.rnn.bias_ih_l0", "encoder.rnn.bias_hh_l0"):
    put(name, 0.0)
put("encoder.rnn.weight_ih_l0", 1e30)
put("decoder.rnn.weight_ih_l0", 1e30, cols_from=E)
open(sys.argv[2], "wb").write(data)
EOF
"$A" decode --model $T/huge.safetensors --input abc --target cba > /dev/null 2>&1 \
    || no "the overflowing model's forward pass fails already"
check 1 "a gradient that is not finite" "$A" decode --model $T/huge.safetensors --input abc --target cba \
    --grad-json $T/x.json
grep -q "gradient of encoder.embedding.weight is not finite" $D/log || no "non-finite gradient: $(cat $D/log)"
[ -e $T/x.json ] && no "a non-finite gradient left a file"
exit $fail
