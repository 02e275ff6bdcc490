#!/bin/sh
# Render a fixed set of screenshots headless: every phase of several models
# (both styles, every score, with and without a reference), the backward
# phases (direction backward), both themes and
# sizes, hover and help overlay, the lesson picker, and every slide of every
# lesson in English and Korean. A refactor that must not change what a user
# sees renders the set before and after and compares:
#
#     tools/snapshots.sh /tmp/before          # on the old tree
#     tools/snapshots.sh /tmp/after           # on the new tree
#     tools/snapshots.sh --compare /tmp/before /tmp/after
#
# ATTNVIZ (default build/attnviz) is the binary.
set -u
cd "$(dirname "$0")/.."
A=${ATTNVIZ:-build/attnviz}

if [ "${1:-}" = "--compare" ]; then
    [ $# -eq 3 ] || { echo "usage: tools/snapshots.sh --compare BEFORE AFTER" >&2; exit 2; }
    n=0 bad=0
    for f in "$2"/*.png; do
        g="$3/$(basename "$f")"
        n=$((n + 1))
        if [ ! -f "$g" ]; then echo "missing: $g"; bad=$((bad + 1))
        elif ! cmp -s "$f" "$g"; then echo "differs: $(basename "$f")"; bad=$((bad + 1)); fi
    done
    for g in "$3"/*.png; do [ -f "$2/$(basename "$g")" ] || { echo "new: $g"; bad=$((bad + 1)); }; done
    echo "snapshots: $n compared, $bad differ"
    [ "$bad" -eq 0 ]
    exit
fi

[ $# -eq 1 ] || { echo "usage: tools/snapshots.sh OUTDIR | --compare BEFORE AFTER" >&2; exit 2; }
OUT=$1
mkdir -p "$OUT"
M=assets/models
fail=0
shot() { # name, then the view arguments
    name=$1; shift
    if ! "$A" "$@" --screenshot "$OUT/$name.png" >"$OUT/$name.log" 2>&1; then
        echo "failed: $name: $(tail -1 "$OUT/$name.log")"; fail=$((fail + 1))
    fi
    rm -f "$OUT/$name.log"
}

PHASES="encoder query scores softmax context combine output next"
# model, input, reference ("" for none), steps
while IFS='|' read -r model input ref steps; do
    [ -n "$model" ] || continue
    for step in $steps; do
        for ph in $PHASES; do
            base="$model-s$step-$ph"
            if [ -n "$ref" ]; then
                shot "$base-ref" view --model "$M/$model.safetensors" --input "$input" --target "$ref" \
                    --teacher-forcing 0.5 --seed 3 --step "$step" --phase "$ph"
            else
                shot "$base" view --model "$M/$model.safetensors" --input "$input" --step "$step" --phase "$ph"
            fi
        done
    done
done <<'EOF'
en-ko-dot|my mother opens the umbrella||1 4
dates-additive|21 Nov 2026||1 3
dates-general|8 may 16|2016-05-08|2
reverse-concat|attention||1 5
en-fr-general|the european economic area||2
copy-none|abcdefghij||1 6
EOF

# themes, sizes, progress, hover, overlay
shot dark-enko view --model $M/en-ko-dot.safetensors --input "I love you" --step 2 --phase softmax --theme dark
shot small-enko view --model $M/en-ko-dot.safetensors --input "I love you" --step 2 --phase context --size 1024x600
shot small-dates-dark view --model $M/dates-additive.safetensors --input "3 march 1999" --step 4 --phase combine --size 1024x600 --theme dark
shot mid-progress view --model $M/dates-general.safetensors --input "21 Nov 2026" --step 3 --phase softmax --progress 0.4
shot hover view --model $M/en-ko-dot.safetensors --input "I love you" --step 2 --phase softmax --mouse 640,400
shot help view --model $M/en-ko-dot.safetensors --input "I love you" --help-overlay
shot long40 view --model $M/copy-general.safetensors --input "abcdefghijklmnopqrstuvwxyzabcdefghijklmn" --step 20 --phase softmax
shot demo view --demo
shot picker-en --lang en
shot picker-ko --lang ko

# the backward phases (issue 12): every one, of a Luong model teacher forced, a
# Bahdanau model free running and a model without attention; then a theme, a
# size and a language, the mouse, another learning rate
BACK_PHASES="loss logits state split weights scores query encoder step"
while IFS='|' read -r model tf; do
    [ -n "$model" ] || continue
    for ph in $BACK_PHASES; do
        shot "back-$model-s4-$ph" view --model "$M/$model.safetensors" --input "your woman wants the letter" \
            --target "네 여자는 편지를 원해" --teacher-forcing "$tf" --direction backward --step 4 --phase "$ph"
    done
done <<'EOF'
en-ko-general-step500|1
en-ko-additive|0
en-ko-none|1
EOF
shot back-small-dark-ko view --model $M/en-ko-general-step500.safetensors --input "your woman wants the letter" \
    --target "네 여자는 편지를 원해" --teacher-forcing 1 --direction backward --step 4 --phase scores \
    --size 1024x600 --theme dark --lang ko
shot back-hover view --model $M/en-ko-general-step500.safetensors --input "your woman wants the letter" \
    --target "네 여자는 편지를 원해" --teacher-forcing 1 --direction backward --step 4 --phase weights --mouse 320,330
shot back-lr view --model $M/en-ko-general-step500.safetensors --input "your woman wants the letter" \
    --target "네 여자는 편지를 원해" --teacher-forcing 1 --direction backward --step 3 --phase step --lr 0.5

# every slide of every lesson, both languages
for f in lessons/en/*.md lessons/ko/*.md; do
    lang=$(basename "$(dirname "$f")")
    n=$(grep -c '^## ' "$f")
    i=1
    while [ "$i" -le "$n" ]; do
        shot "lesson-$lang-$(basename "$f" .md)-$i" --lesson "$f" --slide "$i"
        i=$((i + 1))
    done
done
echo "snapshots: $(ls "$OUT"/*.png | wc -l) written to $OUT, $fail failed"
[ "$fail" -eq 0 ]
