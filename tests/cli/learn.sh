#!/bin/sh
# attnviz learn headless: the training screen after N steps, the film strip,
# the curves as PNG, SVG and CSV; a training slide of a lesson; bad input
# (a TSV with a bad line, a loss that turns NaN, a full disk) writes nothing
# and keeps what was there.
. "$(dirname "$0")/lib/common.sh"
T=$D
SMALL="--task reverse --n-train 400 --embed 8 --hidden 16 --batch 8 --threads 1"

check 0 "learn --screenshot --film --curves" "$A" learn $SMALL --steps 30 --size 1024x600 --screenshot $T/s.png \
    --film $T/f.png --curves $T/c.png --curves $T/c.svg --curves $T/c.csv
[ "$(png_size $T/s.png)" = "1024 600" ] || no "learn --screenshot: size $(png_size $T/s.png), expected 1024 600"
[ "$(png_size $T/f.png)" = "1024 600" ] || no "learn --film: size $(png_size $T/f.png), expected --size's"
[ "$(png_size $T/c.png)" = "1024 600" ] || no "learn --curves PNG: size $(png_size $T/c.png), expected --size's"
head -c 5 $T/c.svg | grep -q '<' || no "learn --curves SVG: not XML"
grep -q '</svg>' $T/c.svg || no "learn --curves SVG: not whole"
grep -q 'training loss' $T/c.svg || no "learn --curves SVG: no 'training loss' title as text"
head -1 $T/c.csv | grep -q '^step,seconds,examples,loss,grad_norm,lr,tf_ratio,heldout.exact,heldout.token' ||
    no "learn --curves CSV: header $(head -1 $T/c.csv)"
[ "$(sed -n 2p $T/c.csv | cut -d, -f1)" = 0 ] || no "learn --curves CSV: the first row is not step 0"
# the task's example is the probe from step 0 on: the untrained model's entropy is measured too
[ -n "$(sed -n 2p $T/c.csv | cut -d, -f11)" ] || no "learn --curves CSV: step 0 has no probe entropy: $(sed -n 2p $T/c.csv)"
[ "$(tail -1 $T/c.csv | cut -d, -f1)" = 30 ] || no "learn --curves CSV: the last row is not step 30"
awk -F, 'NR > 1 && $4 !~ /^[0-9.e+-]+$/ { bad = 1 } END { exit bad }' $T/c.csv || no "learn --curves CSV: a loss is not a number"
if [ -x /usr/bin/python3 ]; then
    /usr/bin/python3 -c "import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); assert float(r[-1]['loss']) < float(r[0]['loss'])" \
        $T/c.csv || no "learn --curves CSV: the loss did not fall over 30 steps"
fi
check 0 "learn --curves -" sh -c "'$A' learn $SMALL --steps 3 --curves - > $T/o.csv"
[ "$(wc -l < $T/o.csv)" -ge 2 ] || no "learn --curves -: nothing on standard output"
check 2 "learn --curves with another extension" "$A" learn $SMALL --steps 3 --curves $T/c.txt
[ -e $T/c.txt ] && no "learn --curves .txt wrote a file"
check 2 "learn --film -" "$A" learn $SMALL --steps 3 --film -

# a TSV with a bad line: refused with its number, nothing written
printf 'abc\tcba\nabd\tdba\nno tab here\nxy\tyx\n' > $T/bad.tsv
check 1 "learn on a bad TSV" "$A" learn --train $T/bad.tsv --steps 3 --screenshot $T/bad.png
grep -q "bad.tsv:3:" $D/log || no "learn on a bad TSV: no line number: $(cat $D/log)"
[ -e $T/bad.png ] && no "learn on a bad TSV wrote a screenshot"

# a loss that is not finite: stops at its step, saves nothing over a good file
echo "a good model" > $T/good.safetensors
check 1 "learn --lr 1e30" "$A" learn $SMALL --lr 1e30 --clip 0 --steps 40 --out $T/good.safetensors --curves $T/nan.csv
grep -q "not finite at step [0-9]" $D/log || no "learn --lr 1e30: does not say at which step: $(cat $D/log)"
[ "$(cat $T/good.safetensors)" = "a good model" ] || no "learn --lr 1e30 wrote over the good file"

# a full disk through a symlink: one line, the link kept, nothing else
ln -s /dev/full $T/full.png
check 1 "learn --film on a full disk" "$A" learn $SMALL --steps 3 --film $T/full.png
[ -L $T/full.png ] || no "learn --film on a full disk replaced the symlink"
[ "$(grep -c 'attnviz learn:' $D/log)" -eq 1 ] || no "learn --film on a full disk: not one line of error: $(cat $D/log)"
ls $T | grep -q tmp && no "learn --film on a full disk left a temporary file"

# a lesson's training slide: a model like the slide's trains to its steps
mkdir $T/models
"$A" train $SMALL --steps 2 --out $T/models/reverse-general.safetensors >/dev/null 2>&1 || no "train a tiny model"
cat > $T/l.md <<'EOF'
# Learning

task: reverse
level: beginner
minutes: 5

## Watch it learn
model: reverse-general
mode: train
steps: 20
speed: full
probe: abcdef

It learns.
EOF
ATTNVIZ_MODELS=$T/models check 0 "a training slide" "$A" --lesson $T/l.md --slide 1 --screenshot $T/slide.png
[ "$(png_size $T/slide.png)" = "1280 720" ] || no "training slide: no 1280x720 screenshot"
printf '# L\n\ntask: reverse\nlevel: beginner\nminutes: 5\n\n## A\nmodel: reverse-general\nmode: train\nphase: softmax\n\nx\n' > $T/bad.md
ATTNVIZ_MODELS=$T/models check 1 "a training slide with a phase" "$A" --lesson $T/bad.md --slide 1 --screenshot $T/x.png
grep -q "bad.md:10:" $D/log || no "a training slide with a phase: no line number: $(cat $D/log)"

exit $fail
