#!/bin/sh
# Results for programs (issue 14): eval --json and --tsv say what the prose
# says, info --json what info says; train's progress line names its accuracy
# as the training batches' and the held-out lines as held-out.
. "$(dirname "$0")/lib/common.sh"
PY=/usr/bin/python3
M=assets/models/dates-dot.safetensors
M2=assets/models/en-fr-general.safetensors

# ---- eval: prose, --json and --tsv agree -------------------------------------
"$A" eval --model $M --task dates --n 60 --seed 4 --by-length > $D/prose || no "eval: exit $?"
"$A" eval --model $M --task dates --n 60 --seed 4 --by-length --json > $D/e.json || no "eval --json: exit $?"
"$A" eval --model $M --task dates --n 60 --seed 4 --by-length --tsv > $D/e.tsv || no "eval --tsv: exit $?"
# the prose's figures: exact match N/M, tokens K/L
set -- $(sed -n '1s/.*(\([0-9]*\)\/\([0-9]*\)), token accuracy [0-9.]*% (\([0-9]*\)\/\([0-9]*\)).*/\1 \2 \3 \4/p' $D/prose)
[ $# -eq 4 ] || no "eval prose: no figures in '$(head -1 $D/prose)'"
exact=$1 pairs=$2 right=$3 tokens=$4
[ "$pairs" = 60 ] || no "eval prose: $pairs pairs, expected 60"
$PY - "$D/e.json" "$exact" "$pairs" "$right" "$tokens" "$M" <<'EOF' || no "eval --json does not say what the prose says"
import json, sys
d = json.load(open(sys.argv[1]))
exact, pairs, right, tokens = map(int, sys.argv[2:6])
assert d["model"] == sys.argv[6] and d["task"] == "dates" and d["n"] == 60 and d["seed"] == 4, d
assert (d["exact"], d["pairs"], d["tokens_right"], d["tokens"]) == (exact, pairs, right, tokens), d
assert abs(d["exact_match"] - exact / pairs) < 1e-6 and abs(d["token_accuracy"] - right / tokens) < 1e-6, d
b = d["by_length"]
assert len(b) >= 2 and sum(r["pairs"] for r in b) == pairs and sum(r["exact"] for r in b) == exact, b
assert all(r["src_len_min"] <= r["src_len_max"] for r in b), b
EOF
# TSV: a header, the whole set as "all", then the buckets (the same as the JSON's)
head -1 $D/e.tsv | grep -q "^model	data	src_len	pairs	exact	exact_match	tokens	tokens_right	token_accuracy$" ||
    no "eval --tsv header: $(head -1 $D/e.tsv)"
[ "$(awk -F'\t' 'NR > 1 && NF != 9' $D/e.tsv | wc -l)" -eq 0 ] || no "eval --tsv: a row without 9 fields"
[ "$(awk -F'\t' 'NR == 2 {print $3, $4, $5, $7, $8}' $D/e.tsv)" = "all $pairs $exact $tokens $right" ] ||
    no "eval --tsv 'all' row differs from the prose: $(sed -n 2p $D/e.tsv)"
[ "$(awk -F'\t' 'NR > 2 {p += $4} END {print p}' $D/e.tsv)" = "$pairs" ] || no "eval --tsv: the buckets do not add up"
[ "$(($(wc -l < $D/e.tsv) - 2))" = "$($PY -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["by_length"]))' $D/e.json)" ] ||
    no "eval --tsv and --json have different buckets"
# without --by-length: one row; a test file named in "test"
"$A" data --task dates --split test --n 20 > $D/t.tsv
"$A" eval --model $M --test $D/t.tsv --tsv > $D/t.out || no "eval --test --tsv: exit $?"
[ "$(wc -l < $D/t.out)" -eq 2 ] || no "eval --tsv without --by-length: $(wc -l < $D/t.out) lines"
"$A" eval --model $M --test $D/t.tsv --json | $PY -c 'import json,sys; d=json.load(sys.stdin); assert d["pairs"] == 20 and "test" in d and "by_length" not in d, d' ||
    no "eval --test --json"
check 2 "eval --json --tsv" "$A" eval --model $M --task dates --json --tsv
grep -q "one of --json and --tsv" $D/log || no "eval --json --tsv: $(cat $D/log)"

# ---- info --json says what info says ------------------------------------------
for m in $M $M2; do
    "$A" info --model $m > $D/info || no "info $m: exit $?"
    "$A" info --model $m --json > $D/info.json || no "info --json $m: exit $?"
    $PY - $D/info.json $D/info <<'EOF' || no "info --json $m differs from info"
import json, re, sys
d = json.load(open(sys.argv[1]))
text = open(sys.argv[2], encoding="utf-8").read()
assert d["parameters"] == int(re.search(r"^parameters: (\d+)$", text, re.M).group(1)), d["parameters"]
assert sum(eval("*".join(map(str, t["shape"]))) for t in d["tensors"]) == d["parameters"]
names = re.findall(r"^  (\S+) ", text, re.M)
assert [t["name"] for t in d["tensors"]] == names, names
c = d["config"]
assert f"cell: {c['cell']} " in text and f"score: {c['score']} " in text and f"tokenizer: {c['tokenizer']} " in text
assert len(d["src_vocab"]) == d["sizes"]["V_src"] and len(d["tgt_vocab"]) == d["sizes"]["V_tgt"]
assert d["src_vocab"][:4] == ["<pad>", "<sos>", "<eos>", "<unk>"], d["src_vocab"][:4]
assert f"trained steps: {d['metadata']['trained_steps']}" in text and f"task: {d['metadata']['task']}" in text
EOF
done

# a file name is bytes: one that is not UTF-8 still gives JSON that Python reads
# (the byte as U+FFFD), and one with a TAB or a line break keeps the TSV's rows
bad=$(printf '%s/m\377\tx\n.safetensors' $D)
cp $M "$bad"
"$A" info --model "$bad" --json | $PY -c 'import json,sys; d=json.loads(sys.stdin.buffer.read().decode("utf-8")); assert d["file"].endswith("m\ufffd\tx\n.safetensors"), d["file"]' ||
    no "info --json: a file name that is not UTF-8 makes JSON Python cannot read"
"$A" eval --model "$bad" --test $D/t.tsv --json | $PY -c 'import json,sys; json.loads(sys.stdin.buffer.read().decode("utf-8"))' ||
    no "eval --json: a file name that is not UTF-8 makes JSON Python cannot read"
"$A" eval --model "$bad" --test $D/t.tsv --tsv > $D/bad.tsv
[ "$(wc -l < $D/bad.tsv)" -eq 2 ] && [ "$(awk -F'\t' 'NF != 9' $D/bad.tsv | wc -l)" -eq 0 ] ||
    no "eval --tsv: a TAB or line break in the file name breaks the table: $(cat $D/bad.tsv)"

# ---- train: the progress line names its accuracy --------------------------------
"$A" train --task reverse --n-train 300 --steps 20 --batch 8 --hidden 8 --embed 4 --eval-every 10 --until-accuracy 1 \
    --out $D/r.safetensors > /dev/null 2> $D/progress || no "train: exit $?"
grep -q "^step 20/20  loss [0-9.]*  train acc  *[0-9.]*%" $D/progress || no "progress line: $(grep '^step 20/20' $D/progress)"
grep -q "^step 10: held-out exact match [0-9.]*%" $D/progress || no "held-out line: $(grep '^step 10' $D/progress)"
grep -E "(^| )acc " $D/progress | grep -v "train acc" && no "an accuracy that does not say whose"
"$A" train --help | grep -q '"train acc" is the token accuracy on the training batches' || no "train --help does not say what train acc is"

exit $fail
