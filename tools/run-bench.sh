#!/bin/sh
# Run every benchmark binary given (bench/bench_*.c), then bench/*.sh.
cd "$(dirname "$0")/.." || exit 2
for b in "$@"; do echo "== $b"; "$b" || exit 1; done
for s in bench/*.sh; do [ -f "$s" ] || continue; echo "== $s"; B=${B:-build} sh "$s" || exit 1; done
