#!/bin/sh
# Make the seed inputs of the fuzz targets from the shipped files, into
# OUT/model, OUT/lesson, OUT/tsv. `make fuzz-merge`-style minimisation then
# keeps the few that matter:
#
#   B=build tests/fuzz/make-seeds.sh /tmp/seeds
#   build/fuzz/fuzz_T -merge=1 tests/fuzz/corpus/T /tmp/seeds/T     (each T)
#
# Models: the shipped ones are ~150 KB, too big to mutate quickly, so one is
# kept as it is and tiny ones (E=2, H=3, a handful of tokens, one training
# step) cover every cell, score, style and option MODEL.md allows.
set -e
cd "$(dirname "$0")/../.."
B=${B:-build}
A=$B/attnviz
OUT=${1:?usage: make-seeds.sh OUT}
mkdir -p "$OUT/model" "$OUT/lesson" "$OUT/tsv"

# ---- lessons: every shipped one
for f in lessons/*/*.md; do cp "$f" "$OUT/lesson/$(basename "$(dirname "$f")")-$(basename "$f")"; done

# ---- TSV: a few pairs of every task, and the edge cases the reader handles
for t in dates reverse en-ko en-fr copy; do $A data --task "$t" --n 12 --seed 3 >"$OUT/tsv/$t.tsv"; done
printf '\357\273\277ab\tba\r\nabc\tcba\r\n' >"$OUT/tsv/bom-crlf.tsv"
printf 'a b\tb a\n\n  x\t y \n' >"$OUT/tsv/blank-spaces.tsv"

# ---- models
tsv=$OUT/tiny.tsv
printf 'ab c\tc ba\nba\tab\ncab a\ta bac\n' >"$tsv"
i=0
while read -r opts; do
    i=$((i + 1))
    # shellcheck disable=SC2086
    $A train --train "$tsv" --test "$tsv" --embed 2 --steps 1 $opts --out "$OUT/model/tiny$i.safetensors" \
        >/dev/null 2>&1 || { echo "make-seeds: train $opts failed" >&2; exit 1; }
done <<EOF
--hidden 3 --score general
--hidden 3 --cell gru --style bahdanau --score additive --tokenizer word
--hidden 4 --bidirectional --score concat --input-feed
--hidden 3 --cell gru --score dot
--hidden 3 --score scaled_dot --reverse-source
--hidden 3 --cell gru --score none --tokenizer word
--hidden 4 --bidirectional --style bahdanau --score concat --attn-dim 2
--hidden 4 --cell gru --bidirectional --score general --input-feed --tokenizer word
--hidden 4 --bidirectional --enc-hidden 2 --score dot
EOF
rm -f "$tsv"
cp assets/models/copy-none.safetensors "$OUT/model/"
echo "make-seeds: $(ls "$OUT/model" | wc -l) models, $(ls "$OUT/lesson" | wc -l) lessons, $(ls "$OUT/tsv" | wc -l) TSV files in $OUT"
