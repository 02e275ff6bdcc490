#!/bin/sh
# bench/threads.sh — `attnviz train --threads 2` against `--threads 1` on
# `dates` with the standard model (LSTM, bidirectional 2×32, decoder 64,
# embedding 16, general, batch 32, Adam), 600 steps from seed 1 (issue 11:
# ≥ 1.7×). The time is the one `train` prints, optimisation steps only; both
# runs train the same steps (the thread count changes no bit, checked here
# with cmp). Rounds of 1 and 2 threads alternate (ROUNDS, default 7), so that
# a slow spell of the machine hits both; printed: every round, then the
# ratio of the best times and of the median times, with the load average.
A=${B:-build}/attnviz
[ -x "$A" ] || { echo "bench/threads.sh: $A not built" >&2; exit 1; }
R=${ROUNDS:-7}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
echo "train --threads 2 against --threads 1 (dates, standard model, 600 steps, $R rounds):"
r=0
while [ $r -lt $R ]; do
    r=$((r + 1))
    for n in 1 2; do
        "$A" train --task dates --cell lstm --bidirectional --embed 16 --hidden 64 --batch 32 --score general \
            --steps 600 --seed 1 --threads $n --out "$T/m$n.safetensors" > "$T/out" 2>&1 || {
            echo "bench/threads.sh: train --threads $n failed: $(tail -1 "$T/out")" >&2; exit 1; }
        sed -n 's/^training time \([0-9.]*\) s.*/\1/p' "$T/out" >> "$T/t$n"
    done
    cmp -s "$T/m1.safetensors" "$T/m2.safetensors" || { echo "bench/threads.sh: 1 and 2 threads saved different models" >&2; exit 1; }
    printf "  round %d: 1 thread %s s, 2 threads %s s   (load %s)\n" $r "$(tail -1 "$T/t1")" "$(tail -1 "$T/t2")" \
        "$(cut -d' ' -f1 /proc/loadavg)"
done
best() { sort -n "$1" | head -1; }
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
awk -v b1="$(best "$T/t1")" -v b2="$(best "$T/t2")" -v m1="$(median "$T/t1")" -v m2="$(median "$T/t2")" 'BEGIN {
    printf "  best: 1 thread %.2f s, 2 threads %.2f s: %.2f×;  median: %.2f s, %.2f s: %.2f×   [target ≥ 1.7×]\n",
        b1, b2, b1 / b2, m1, m2, m1 / m2 }'
