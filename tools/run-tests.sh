#!/bin/sh
# Run every test binary given, then the shell tests in tests/cli/, then the
# PyTorch tests in tests/python/, then the ThreadSanitizer programs in
# TSAN_BINS (tests/tsan/: plain programs, red on their exit code or on any
# TSan warning in their output), then the fuzz targets in FUZZ_BINS over
# their committed inputs (tools/fuzz.sh). GL tests (test_gl) get a display
# (Xvfb when none) and ASan's leak check off: Mesa and SDL leak on purpose at
# exit. Criterion runs each test in a child process and reports a test that
# leaked as passed, so the output is also searched for sanitizer reports.
# Exits non-zero if anything failed.
cd "$(dirname "$0")/.." || exit 2
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
B=${B:-build}
log=$(mktemp)
fail=0
for t in "$@"; do
    echo "== $t"
    case "$t" in
        *test_gl) ASAN_OPTIONS=detect_leaks=0 tools/with-display.sh "$t" >"$log" 2>&1 || fail=1 ;;
        *) "$t" >"$log" 2>&1 || fail=1 ;;
    esac
    cat "$log"
    syn=$(grep -a "Synthesis: Tested:" "$log" | tail -1)
    if [ -n "$syn" ]; then
        p=$(echo "$syn" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
        f=$(echo "$syn" | sed -n 's/.*Failing: \([0-9]*\).*Crashing: \([0-9]*\).*/\1 \2/p')
        passed=$((passed + p)); for x in $f; do failed=$((failed + x)); done
    else
        echo "!! $t printed no Criterion summary"; failed=$((failed + 1)); fail=1
    fi
    if grep -q -E "ERROR: (LeakSanitizer|AddressSanitizer)|runtime error:" "$log"; then
        echo "!! $t: sanitizer report above"; failed=$((failed + 1))
        fail=1
    fi
done
cpassed=0; cfailed=0
for s in tests/cli/*.sh; do
    [ -f "$s" ] || continue
    echo "== $s"
    if ATTNVIZ=$B/san/attnviz ASAN_OPTIONS=detect_leaks=0 sh "$s"; then cpassed=$((cpassed + 1)); else cfailed=$((cfailed + 1)); fail=1; fi
done
# The PyTorch twin and the tutorial converter (tests/python/): Debian's torch
# imports only under /usr/bin/python3. They drive the release binary. Each
# script ends with "python FILE: N passed, M failed, K skipped"; a skip is
# counted apart, never as passed.
ppassed=0; pfailed=0; pskipped=0
for s in tests/python/test_*.py; do
    [ -f "$s" ] || continue
    echo "== $s"
    ATTNVIZ=$B/attnviz /usr/bin/python3 "$s" >"$log" 2>&1
    rc=$?
    cat "$log"
    sum=$(grep -a "^python $s: " "$log" | tail -1)
    if [ -z "$sum" ]; then
        /usr/bin/python3 -c "import torch" 2>/dev/null ||
            echo "!! /usr/bin/python3 cannot import torch: tools/setup.sh installs python3-torch"
        echo "!! $s printed no summary"; pfailed=$((pfailed + 1)); fail=1; continue
    fi
    set -- $(echo "$sum" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped.*/\1 \2 \3/p')
    ppassed=$((ppassed + $1)); pfailed=$((pfailed + $2)); pskipped=$((pskipped + $3))
    if [ "$rc" -ne 0 ] || [ "$2" -ne 0 ]; then fail=1; [ "$2" -ne 0 ] || pfailed=$((pfailed + 1)); fi
done
# ThreadSanitizer (tests/tsan/): each stops at its first report (exit 66)
tpassed=0; tfailed=0
for t in $TSAN_BINS; do
    echo "== $t"
    "$t" >"$log" 2>&1
    rc=$?
    cat "$log"
    if [ "$rc" -eq 0 ] && ! grep -q "WARNING: ThreadSanitizer" "$log"; then tpassed=$((tpassed + 1))
    else echo "!! $t: exit $rc (66: a ThreadSanitizer report above)"; tfailed=$((tfailed + 1)); fail=1; fi
done
rm -f "$log"
echo "cli scripts: $cpassed passed, $cfailed failed"
echo "python tests: $ppassed passed, $pfailed failed, $pskipped skipped"
[ -z "$TSAN_BINS" ] || echo "tsan programs: $tpassed passed, $tfailed failed"
fpassed=0; ffailed=0
if [ -n "$FUZZ_BINS" ]; then
    echo "== fuzz replay (tests/fuzz: corpus and fixed crashes)"
    # shellcheck disable=SC2086
    flog=$(B=$B tools/fuzz.sh replay $FUZZ_BINS) || fail=1
    echo "$flog"
    fpassed=$(echo "$flog" | sed -n 's/^fuzz: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    ffailed=$(echo "$flog" | sed -n 's/^fuzz: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
    [ -n "$fpassed" ] || { fpassed=0; ffailed=1; fail=1; }
fi
[ $fail -eq 0 ] || echo "SOME TESTS FAILED"
echo "total: $((passed + cpassed + ppassed + fpassed + tpassed)) passed, $((failed + cfailed + pfailed + ffailed + tfailed)) failed, $pskipped skipped"
exit $fail
