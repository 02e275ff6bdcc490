#!/bin/sh
# Run every test binary given, then the shell tests in tests/cli/. GL tests
# (test_gl) get a display (Xvfb when none) and ASan's leak check off: Mesa and
# SDL leak on purpose at exit. Criterion runs each test in a child process and
# reports a test that leaked as passed, so the output is also searched for
# sanitizer reports. Exits non-zero if anything failed.
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
    if grep -q -E "ERROR: (LeakSanitizer|AddressSanitizer)|runtime error:" "$log"; then
        echo "!! $t: sanitizer report above"
        fail=1
    fi
done
passed=0; failed=0
for s in tests/cli/*.sh; do
    [ -f "$s" ] || continue
    echo "== $s"
    if ATTNVIZ=$B/san/attnviz ASAN_OPTIONS=detect_leaks=0 sh "$s"; then passed=$((passed + 1)); else failed=$((failed + 1)); fail=1; fi
done
rm -f "$log"
echo "cli: $passed passed, $failed failed"
[ $fail -eq 0 ] && echo "all tests passed" || echo "SOME TESTS FAILED"
exit $fail
