#!/bin/sh
# bench/train.sh — time to 99% held-out exact match on `dates` with the
# standard model (LSTM, bidirectional 2×32, decoder 64, embedding 16, batch 32,
# Adam), for every score, with 1 and with 2 threads. The time is training
# only: `train --until-accuracy` evaluates every 50 steps on the 1000 held-out
# pairs and excludes that time. The thread count does not change the model
# (the same steps, bit for bit), so the two times compare the same work;
# they run one after the other, and the machine's load is printed beside them.
# Goals: at most 10 s for `general` (issue 3); with 2 threads, under 1.5 s
# (issue 11).
A=${B:-build}/attnviz
[ -x "$A" ] || { echo "bench/train.sh: $A not built" >&2; exit 1; }
echo "time to 99% held-out exact match on dates (standard model, seed 1), 1 and 2 threads:"
for s in general dot concat additive; do
    style=luong; extra=""
    [ $s = additive ] && style=bahdanau
    [ $s = concat ] || [ $s = additive ] && extra="--attn-dim 32"
    t=""
    for n in 1 2; do
        # shellcheck disable=SC2086
        out=$("$A" train --task dates --cell lstm --bidirectional --embed 16 --hidden 64 --batch 32 \
              --style $style --score $s $extra --until-accuracy 0.99 --eval-every 50 --steps 6000 \
              --seed 1 --threads $n --out /tmp/attnviz-bench-$$.safetensors 2>/dev/null)
        line=$(echo "$out" | grep -E '^(reached|did not reach)')
        secs=$(echo "$line" | sed -n 's/.* in \([0-9.]*\) s of training.*/\1/p')
        steps=$(echo "$line" | sed -n 's/.*training, \([0-9]*\) steps.*/\1/p')
        t="$t $secs"
        [ -n "$steps" ] || steps="-"
    done
    set -- $t
    ratio=$(awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "-" }')
    printf "  %-8s %-8s %5s steps   1 thread %6s s   2 threads %6s s   ×%s   (load %s)\n" "$s" "$style" \
        "$steps" "${1:--}" "${2:--}" "$ratio" "$(cut -d' ' -f1 /proc/loadavg)"
done
rm -f /tmp/attnviz-bench-$$.safetensors
