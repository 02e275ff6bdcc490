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

exit $fail
