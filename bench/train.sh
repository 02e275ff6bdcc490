#!/bin/sh
# bench/train.sh — time to 99% held-out exact match on `dates` with the
# standard model (LSTM, bidirectional 2×32, decoder 64, embedding 16, batch 32,
# Adam), for every score. The time is training only: `train --until-accuracy`
# evaluates every 50 steps on the 1000 held-out pairs and excludes that time.
# Goal (issue 3): at most 10 s for `general`.
A=${B:-build}/attnviz
[ -x "$A" ] || { echo "bench/train.sh: $A not built" >&2; exit 1; }
echo "time to 99% held-out exact match on dates (standard model, seed 1):"
for s in general dot concat additive; do
    style=luong; extra=""
    [ $s = additive ] && style=bahdanau
    [ $s = concat ] || [ $s = additive ] && extra="--attn-dim 32"
    # shellcheck disable=SC2086
    out=$("$A" train --task dates --cell lstm --bidirectional --embed 16 --hidden 64 --batch 32 \
          --style $style --score $s $extra --until-accuracy 0.99 --eval-every 50 --steps 6000 \
          --seed 1 --out /tmp/attnviz-bench-$$.safetensors 2>/dev/null)
    res=$(echo "$out" | grep -E '^(reached|did not reach)')
    printf "  %-8s %-8s %s\n" "$s" "$style" "$res"
done
rm -f /tmp/attnviz-bench-$$.safetensors
