#!/bin/sh
# Lesson 10 ("How attention learns to align") quotes numbers of training
# runs; this script makes those runs and fails when a number in the lesson
# (English or Korean) is not what the run gives. The runs use the release
# binary (build/attnviz beside the sanitizer one): a few thousand training
# steps are minutes under the sanitizers, seconds without. Training does
# not depend on the thread count (learn.md), so they use two threads.
. "$(dirname "$0")/lib/common.sh"
R=${ATTNVIZ%/san/attnviz}/attnviz
[ -x "$R" ] || R=build/attnviz
EN=lessons/en/10-learning-to-align.md
KO=lessons/ko/10-learning-to-align.md
PY=/usr/bin/python3
P=thebottleneckisonevectorforthewholesentence
T=$D
# the text a class reads: the lessons without their comments (which list the numbers too)
for f in $EN $KO; do
    $PY -c 'import re, sys; sys.stdout.write(re.sub(r"<!--.*?-->", "", open(sys.argv[1]).read(), flags=re.S))' $f \
        > $T/$(basename $(dirname $f)).md || no "cannot read $f"
done
# claim TEXT WHAT: TEXT is in both lessons' text; claim2 ENGLISH KOREAN WHAT: each in its own
claim() {
    grep -qF -- "$1" $T/en.md || no "$EN does not say '$1' ($2)"
    grep -qF -- "$1" $T/ko.md || no "$KO does not say '$1' ($2)"
}
claim2() {
    grep -qF -- "$1" $T/en.md || no "$EN does not say '$1' ($3)"
    grep -qF -- "$2" $T/ko.md || no "$KO does not say '$2' ($3)"
}
# got WHAT MEASURED EXPECTED: the run gave the number the lessons quote
got() { [ "$2" = "$3" ] || no "$1: the run gives $2, the lesson says $3"; }

# 1. copy-general's recipe (its file's notes: steps 10000, lr 0.003 decay 0.5
#    every 1000, batch 32, clip 1, forced, seed 1) from random weights
$R learn --task copy --bidirectional --hidden 48 --input-feed --score general --lr-decay 0.5 \
    --lr-decay-every 1000 --steps 400 --log-every 400 --eval-every 1000000 --probe $P --threads 2 \
    --log-jsonl $T/cg.jsonl > /dev/null 2>&1 || no "copy-general's recipe: exit $?"
$PY - $T/cg.jsonl > $T/cg.txt <<'PYEOF'
import json, sys
L = {d["step"]: d for d in map(json.loads, open(sys.argv[1]))}
w = [x for r in L[0]["probe"]["weights"] for x in r]
print("%.3f %.3f" % (min(w), max(w)))
p = L[400]["probe"]
print(round(p["alignment_accuracy"] * len(p["output_tokens"][:-1])), len(p["source_tokens"]))
print("".join(t for t in p["output_tokens"] if t != "<eos>"))
PYEOF
got "step 0: the smallest and largest weight" "$(sed -n 1p $T/cg.txt)" "0.020 0.026"
claim2 "**0.020 and 0.026**" "**0.020에서 0.026 사이**" "the step-0 weights"
got "step 400: output steps on the right letter, of" "$(sed -n 2p $T/cg.txt)" "40 43"
claim2 "**40 of the 43**" "43단계 중 **40단계**" "step 400's alignment"
claim "43" "the probe's letters"
got "step 400: the output" "$(sed -n 3p $T/cg.txt)" "thebottleneckisonevectorforthewholesenteenc"
claim '`thebottleneckisonevectorforthewholesenteenc`' "step 400's output"

# 2. the lab slides (mode: lab): three networks like copy-none (lesson 2's copy network;
#    its file: unidirectional LSTM, H 48, E 16, no input feeding; steps 4000, lr 0.003 decay
#    0.5 every 1500, batch 32, clip 1, forced, seed 1) with attention, without, without but
#    reversed. The slide shows what this command prints (tests/gl/test_lesson.c checks the
#    slide against the command at 10 steps); here: the slides name that lab, the model is
#    that recipe, and the narration's table is the command's at step 400.
$PY - $EN $KO > $T/labslides.txt <<'PYEOF' || no "cannot read the lab slides"
import re, sys
for f in sys.argv[1:]:
    for s in re.split(r"^## ", re.sub(r"<!--.*?-->", "", open(f).read(), flags=re.S), flags=re.M)[1:]:
        d = dict(re.findall(r"^([a-z-]+): (.*)$", s.split("\n\n")[0], flags=re.M))
        if d.get("mode") == "lab": print(d.get("model"), d.get("lab"), d.get("steps"), d.get("seed", "-"))
PYEOF
[ "$(wc -l < $T/labslides.txt)" -ge 2 ] || no "lesson 10 has no lab slide in each language"
[ "$(sort -u $T/labslides.txt)" = "copy-none score=general,none,none+reverse 400 -" ] ||
    no "a lab slide is not the lab the narration quotes: $(sort -u $T/labslides.txt | tr '\n' ';')"
$R info --model assets/models/copy-none.safetensors > $T/cn.txt 2>&1 || no "info copy-none: exit $?"
grep -q "encoder: unidirectional   style: luong   score: none   input feeding: no" $T/cn.txt &&
    grep -q "sizes: E 16   He 48   D 48   H 48" $T/cn.txt &&
    grep -q "batch 32, lr 0.003 (decay 0.5 every 1500), clip 1, teacher forcing 1 (constant), seed 1" $T/cn.txt ||
    no "copy-none is not the recipe the lab command uses: $(head -3 $T/cn.txt)"
$R learn --lab score=general,none,none+reverse --task copy --hidden 48 --lr-decay 0.5 --lr-decay-every 1500 \
    --steps 400 --eval-every 400 --threads 2 --curves $T/copy.csv > $T/copy.txt 2>/dev/null || no "the copy lab: exit $?"
row() { awk -v c="$1" '$1 == c {printf "| %s | %.2f | %.1f%% | %.1f%% |\n", $1, $2, $3, $4}' $T/copy.txt | sed 's/| 0.0% |/| 0% |/'; }
for c in general none none+reverse; do
    r=$(row $c)
    [ -n "$r" ] || no "lab $c: no row"
    claim "$r" "the lab's table at step 400"
done
got "lab: step 0's losses" "$(awk -F, '$1 == 0 {printf "%.1f %.1f %.1f", $2, $6, $10}' $T/copy.csv)" "3.4 3.4 3.4"
claim "**3.4**" "the loss at step 0"
letters() { awk -v c="$1" '$1 == c {printf "**%.1f%%**", $4}' $T/copy.txt; }
claim "$(letters none+reverse)" "none+reverse's letters, in the reversal slide"
claim "$(letters none)" "none's letters, in the reversal slide"

# 3. dates-general's recipe (steps 400, lr 0.003 decay 0.5 every 1500, forced, seed 1: the
#    shipped model), always forced and with the linear schedule; the exposure-bias mistake
DG="--task dates --bidirectional --hidden 48 --score general --lr-decay 0.5 --lr-decay-every 1500 --steps 400 --threads 2"
$R train $DG --out $T/forced.safetensors > $T/forced.txt 2>/dev/null || no "dates, always forced: exit $?"
$R train $DG --tf-schedule linear --out $T/linear.safetensors > $T/linear.txt 2>/dev/null || no "dates, linear: exit $?"
exact() { sed -n 's/^held-out exact match \([0-9.]*\)%.*/\1%/p' $1; }
got "dates-general's recipe, always forced" "$(exact $T/forced.txt)" "99.80%"
got "dates-general's recipe, linear" "$(exact $T/linear.txt)" "99.80%"
claim "99.8%" "dates-general's recipe, both"
dec() { $R decode --model "$1" --input "19.01.15" 2>/dev/null | tail -1; }
got "19.01.15, free running" "$(dec $T/forced.safetensors)" "1955-01-19"
got "19.01.15, teacher forced" "$($R decode --model $T/forced.safetensors --input "19.01.15" --target 2015-01-19 --teacher-forcing 1 2>/dev/null | tail -1)" "1015-01-19"
got "19.01.15, the scheduled model" "$(dec $T/linear.safetensors)" "2015-01-19"
for x in 1955-01-19 1015-01-19 2015-01-19 "19.01.15"; do claim "$x" "the exposure-bias example"; done

# 4. the lab on dates: always forced against the linear schedule (the standard model)
$R learn --lab tf=1,linear --task dates --steps 400 --eval-every 400 --threads 2 > $T/tf.txt 2>/dev/null ||
    no "the teacher-forcing lab: exit $?"
got "tf lab" "$(awk '$1 == "1" || $1 == "linear" {printf "%.1f%% ", $3}' $T/tf.txt)" "88.4% 95.7% "
claim "88.4%" "the teacher-forcing lab, always forced"
claim "95.7%" "the teacher-forcing lab, linear"

# 5. every slide at its own steps (the sanitizer GL tests train them only
#    20 steps): English at 1280x720, Korean at 1024x600
for l in en ko; do
    size=1280x720; [ $l = ko ] && size=1024x600
    n=$(grep -c '^## ' lessons/$l/10-learning-to-align.md)
    [ "$n" -ge 8 ] || no "lessons/$l/10: $n slides"
    i=1
    while [ $i -le "$n" ]; do
        out=$T/$l-$i.png
        $R --lesson lessons/$l/10-learning-to-align.md --lang $l --slide $i --size $size --screenshot $out \
            > $T/shot.log 2>&1 || no "lessons/$l/10 slide $i: exit $? ($(head -1 $T/shot.log))"
        [ "$(png_size $out 2>/dev/null)" = "$(echo $size | tr x ' ')" ] || no "lessons/$l/10 slide $i: no $size screenshot"
        i=$((i + 1))
    done
done
exit $fail
