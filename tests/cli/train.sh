#!/bin/sh
# data, train and eval from the command line: TSV out, bad TSV lines named by
# number, a tiny training run that saves a model eval can read, exit codes.
. "$(dirname "$0")/lib/common.sh"
T=$D

# data: N lines of source TAB target, deterministic, splits disjoint
"$A" data --task dates --n 50 --seed 3 > $T/a.tsv || no "data exit $?"
[ "$(wc -l < $T/a.tsv)" -eq 50 ] || no "data: expected 50 lines"
[ "$(awk -F'\t' 'NF != 2' $T/a.tsv | wc -l)" -eq 0 ] || no "data: a line is not source TAB target"
"$A" data --task dates --n 50 --seed 3 | cmp -s - $T/a.tsv || no "data: not deterministic"
"$A" data --task reverse --split test --n 300 | cut -f1 | sort > $T/test
"$A" data --task reverse --split train --n 3000 | cut -f1 | sort > $T/train
[ -z "$(comm -12 $T/test $T/train)" ] || no "data: train and test share a source"
"$A" data --task nope > /dev/null 2>&1; [ $? -eq 2 ] || no "data: unknown task should exit 2"
"$A" data --task dates --split dev > /dev/null 2>&1; [ $? -eq 2 ] || no "data: bad split should exit 2"
"$A" data --task dates --n -3 > /dev/null 2>&1; [ $? -eq 2 ] || no "data: bad --n should exit 2"

# train: a bad line is refused with its file and line number, exit 1
printf 'abc\tcba\nabd\tdba\nno tab\n' > $T/bad.tsv
"$A" train --train $T/bad.tsv --steps 1 --out $T/m.safetensors 2> $T/err; rc=$?
[ $rc -eq 1 ] || no "train on a bad TSV: exit $rc, expected 1"
grep -q "bad.tsv:3:" $T/err || no "train on a bad TSV: message lacks the line number: $(cat $T/err)"
[ ! -e $T/m.safetensors ] || no "train on a bad TSV wrote a model"
"$A" train --task dates --train $T/a.tsv --out $T/m.safetensors 2>/dev/null; [ $? -eq 2 ] || no "train: --task with --train should exit 2"
"$A" train --task dates 2>/dev/null; [ $? -eq 2 ] || no "train: missing --out should exit 2"
"$A" train --task dates --score dot --hidden 10 --enc-hidden 7 --bidirectional --out $T/m.safetensors 2> $T/err
[ $? -eq 2 ] || no "train: dot with H != D should exit 2"
grep -q "hidden" $T/err || no "train: the dot refusal does not say why"

# a tiny run on a file; held out by hash; the model is saved and evaluable
"$A" data --task reverse --n 400 --seed 2 > $T/rev.tsv
"$A" train --train $T/rev.tsv --bidirectional --hidden 8 --embed 4 --steps 3 --batch 4 --out $T/m.safetensors > $T/out 2> $T/err \
    || no "train on a file: exit $? $(cat $T/err)"
grep -q "held-out exact match" $T/out || no "train: no held-out exact match line"
grep -q "held out" $T/err || no "train: does not say it held pairs out"
[ -s $T/m.safetensors ] || no "train: no model written"
"$A" eval --model $T/m.safetensors --test $T/rev.tsv --by-length > $T/ev || no "eval exit $?"
grep -q "exact match" $T/ev || no "eval: no exact match"
grep -q "^src len" $T/ev || no "eval --by-length: no table"
"$A" eval --model $T/m.safetensors --task reverse --n 20 > /dev/null || no "eval --task"
"$A" eval --model $T/nope.safetensors --task reverse > /dev/null 2>&1; [ $? -eq 1 ] || no "eval: missing model should exit 1"
"$A" eval --model $T/m.safetensors > /dev/null 2>&1; [ $? -eq 2 ] || no "eval without data should exit 2"

# --until-accuracy 0 stops at the first evaluation and says so
"$A" train --task reverse --hidden 8 --embed 4 --steps 50 --batch 4 --n-train 200 --until-accuracy 0 --eval-every 2 \
    --out $T/m2.safetensors > $T/out 2>/dev/null || no "train --until-accuracy exit $?"
grep -q "^reached" $T/out || no "train --until-accuracy: no 'reached' line"
grep -q "after 2 steps" $T/out || no "train --until-accuracy 0 did not stop at step 2: $(cat $T/out)"

# ---- the learning log (MODEL.md): --log-jsonl, --log-every, --probe ----
TINY="--task reverse --hidden 8 --embed 4 --batch 4 --n-train 200 --seed 3"
PY=/usr/bin/python3
[ -x $PY ] || PY=""
# every line one JSON object with MODEL.md's fields; step 0 first; probe rows sum to 1
check_log() { # FILE STEPS... (the steps the lines must have, in order)
    f=$1; shift
    [ -z "$PY" ] && return 0
    $PY - "$f" "$@" <<'PYEOF' || no "learning log $f: see above"
import json, math, sys
path, want = sys.argv[1], [int(s) for s in sys.argv[2:]]
lines = open(path, encoding="utf-8").read().split("\n")
assert lines[-1] == "", "the last line does not end with a newline"
rows = [json.loads(l) for l in lines[:-1]]
assert [r["step"] for r in rows] == want, "steps %s, expected %s" % ([r["step"] for r in rows], want)
for r in rows:
    for k in ("seconds", "examples", "loss", "grad_norm", "lr", "tf_ratio"):
        assert isinstance(r[k], (int, float)), "step %d: %s is %r" % (r["step"], k, r.get(k))
    assert r["examples"] == 4 * r["step"]
    p = r.get("probe")
    if p:
        assert len(p["weights"]) == len(p["output_tokens"])
        for row in p["weights"]:
            assert len(row) == len(p["source_tokens"]) and abs(sum(row) - 1) < 1e-3, row
        assert 0 <= p["alignment_accuracy"] <= 1
assert rows[0]["seconds"] == 0 and rows[0]["step"] == 0
PYEOF
}
no_seconds() { sed 's/"seconds": [0-9.]*,//' "$1"; }

"$A" train $TINY --steps 20 --log-jsonl $T/log.jsonl --log-every 5 --eval-every 10 --probe attention \
    --out $T/m3.safetensors > /dev/null 2> $T/err || no "train --log-jsonl: exit $? $(cat $T/err)"
[ "$(wc -l < $T/log.jsonl)" -eq 5 ] || no "--log-every 5 over 20 steps: expected 5 lines, got $(wc -l < $T/log.jsonl)"
head -1 $T/log.jsonl | grep -q '^{"step": 0, "seconds": 0.0000, "examples": 0, "loss": ' || no "the first line is not step 0: $(head -c 80 $T/log.jsonl)"
[ "$(grep -c '"heldout"' $T/log.jsonl)" -eq 3 ] || no "held-out on steps 0, 10, 20: got $(grep -c '"heldout"' $T/log.jsonl) lines"
[ "$(grep -c '"probe": {"source_tokens": \["a", "t", "t", "e", "n", "t", "i", "o", "n"\]' $T/log.jsonl)" -eq 5 ] || no "--probe: not on every line"
grep -q '"alignment_accuracy"' $T/log.jsonl || no "reverse: no alignment accuracy"
check_log $T/log.jsonl 0 5 10 15 20

# the thread count changes nothing: the same model and log, bit for bit
for n in 1 2 3; do
    "$A" train $TINY --steps 12 --teacher-forcing 0.5 --threads $n --log-jsonl $T/t$n.jsonl --log-every 3 --probe abc \
        --out $T/t$n.safetensors > /dev/null 2>&1 || no "train --threads $n: exit $?"
done
cmp -s $T/t1.safetensors $T/t2.safetensors || no "--threads 1 and 2 save different models"
cmp -s $T/t1.safetensors $T/t3.safetensors || no "--threads 1 and 3 save different models"
no_seconds $T/t1.jsonl > $T/t1.s; no_seconds $T/t2.jsonl > $T/t2.s; no_seconds $T/t3.jsonl > $T/t3.s
cmp -s $T/t1.s $T/t2.s && cmp -s $T/t1.s $T/t3.s || no "--threads 1, 2, 3: the logs differ"
"$A" train $TINY --threads 0 --out $T/x.safetensors 2>/dev/null; [ $? -eq 2 ] || no "--threads 0 should exit 2"
# and neither does the build: the release binary (gemm, the cells and Adam
# in AVX-512 or AVX2 registers, picked at load time) saves the model the
# sanitizer build (plain scalar loops) saved, bit for bit
R=${A%/san/attnviz}/attnviz
if [ "$R" != "$A" ] && [ -x "$R" ]; then
    "$R" train $TINY --steps 12 --teacher-forcing 0.5 --threads 2 --out $T/rel.safetensors > /dev/null 2>&1 \
        || no "release train: exit $?"
    cmp -s $T/t1.safetensors $T/rel.safetensors || no "the release and sanitizer builds save different models"
fi

# - is standard output, which then carries the log alone
"$A" train $TINY --steps 6 --log-jsonl - --log-every 3 --out $T/m4.safetensors > $T/stdout.jsonl 2>/dev/null \
    || no "--log-jsonl -: exit $?"
check_log $T/stdout.jsonl 0 3 6
"$A" train $TINY --log-jsonl - --out - > /dev/null 2>&1; [ $? -eq 2 ] || no "--log-jsonl - with --out - should exit 2"
"$A" train $TINY --probe "" --out $T/x.safetensors > /dev/null 2>&1; [ $? -eq 2 ] || no "--probe '' should exit 2"

# a FIFO: a reader sees the lines as they come
mkfifo $T/fifo
cat $T/fifo > $T/fromfifo &
"$A" train $TINY --steps 6 --log-jsonl $T/fifo --log-every 3 --out $T/m5.safetensors > /dev/null 2>&1 || no "--log-jsonl FIFO: exit $?"
wait
[ -p $T/fifo ] || no "the FIFO was replaced"
check_log $T/fromfifo 0 3 6

# data that cannot train leaves an old log alone
echo keep > $T/old.jsonl
"$A" train --train $T/bad.tsv --log-jsonl $T/old.jsonl --out $T/x.safetensors > /dev/null 2>&1
[ "$(cat $T/old.jsonl)" = keep ] || no "a refused training cut an existing log"

# a full disk: one line, the device stays a device (a symlink to /dev/full), nothing saved
ln -s /dev/full $T/full.jsonl
"$A" train $TINY --steps 3 --log-jsonl $T/full.jsonl --out $T/full.safetensors > /dev/null 2> $T/err; rc=$?
[ $rc -eq 1 ] || no "--log-jsonl on a full disk: exit $rc, expected 1"
grep -q "No space left on device" $T/err || no "--log-jsonl on a full disk: $(cat $T/err)"
[ -L $T/full.jsonl ] || no "the symlink to /dev/full was replaced"
[ ! -e $T/full.safetensors ] || no "a model was saved after the log failed"
"$A" train $TINY --steps 3 --log-jsonl $T/no/such/dir.jsonl --out $T/x.safetensors > /dev/null 2> $T/err; rc=$?
[ $rc -eq 1 ] || no "--log-jsonl in a missing folder: exit $rc"
[ "$(wc -l < $T/err)" -le 2 ] && grep -q "No such file" $T/err || no "--log-jsonl in a missing folder: $(cat $T/err)"

# a loss that turns infinite stops training, says at which step, and saves nothing over a good file
cp $T/m3.safetensors $T/good.safetensors
"$A" train $TINY --steps 50 --lr 1e30 --log-jsonl $T/nan.jsonl --out $T/good.safetensors > /dev/null 2> $T/err; rc=$?
[ $rc -eq 1 ] || no "--lr 1e30: exit $rc, expected 1"
grep -q "the loss is not finite at step [0-9]" $T/err || no "--lr 1e30: message lacks the step: $(cat $T/err)"
cmp -s $T/good.safetensors $T/m3.safetensors || no "--lr 1e30 wrote over a good model"
check_log $T/nan.jsonl 0

# learn: train's options and log; the window comes with the app
"$A" learn --help | grep -q "window" || no "learn --help does not mention its window"
"$A" learn $TINY --steps 20 --log-jsonl $T/learn.jsonl --log-every 5 --eval-every 10 --probe attention \
    > /dev/null 2> $T/err || no "learn: exit $? $(cat $T/err)"
no_seconds $T/learn.jsonl > $T/a.s; no_seconds $T/log.jsonl > $T/b.s
cmp -s $T/a.s $T/b.s || no "learn and train log different runs"
grep -q "not saved" $T/err || no "learn without --out does not say it saved nothing"
"$A" learn --task nope 2>/dev/null; [ $? -eq 2 ] || no "learn: unknown task should exit 2"

exit $fail
