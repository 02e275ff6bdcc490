#!/bin/sh
# The fuzz targets' runner (tests/fuzz/README.md). Each BIN is $B/fuzz/fuzz_T;
# T names its folders: tests/fuzz/corpus/T (the seed corpus), crashes/T
# (every crash ever found, fixed: regression cases), open/T (crashes not yet
# fixed: kept, not replayed) and T.dict (its dictionary).
#
#   tools/fuzz.sh replay BIN...        every committed input once (make test);
#                                      prints "fuzz: N passed, M failed"
#   tools/fuzz.sh run SECONDS BIN...   fuzz each target for SECONDS, one after
#                                      the other (make fuzz): new inputs go to
#                                      $B/fuzz-out/T, crashes to crashes/T
#   tools/fuzz.sh merge BIN...         add to corpus/T what in $B/fuzz-out/T
#                                      reaches new code (libFuzzer's -merge=1)
# Exits non-zero when an input crashes.
cd "$(dirname "$0")/.." || exit 2
B=${B:-build}
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mode=$1
shift
[ "$mode" = run ] && { seconds=$1; shift; }
F=tests/fuzz
log=$(mktemp)
scratch=$(mktemp -d)
trap 'rm -rf "$log" "$scratch"' EXIT
# the targets' own scratch folders (fuzz.h) go in here too: a crash skips
# their cleanup, this trap does not
export TMPDIR="$scratch"
fail=0 passed=0 failed=0

# the files of a folder, one per line (none when it is missing or empty)
inputs() { [ -d "$1" ] && find "$1" -maxdepth 1 -type f ! -name '.*' | sort; }

# replay_set BIN T KIND FOLDER: one test per folder, every file run once
replay_set() {
    files=$(inputs "$4")
    [ -n "$files" ] || return 0
    n=$(echo "$files" | wc -l)
    # shellcheck disable=SC2086  # file names are ours, without spaces
    if "$1" -artifact_prefix="$scratch/" $files >"$log" 2>&1; then
        passed=$((passed + 1))
        echo "   $2 $3: $n inputs ok"
    else
        failed=$((failed + 1)); fail=1
        bad=$(grep -a '^Running: ' "$log" | tail -1 | sed 's/^Running: //')
        echo "!! $2 $3: $bad fails:"
        grep -a -v -E '^(Running:|Executed) ' "$log" | tail -40
    fi
}

for bin in "$@"; do
    t=${bin##*/fuzz_}
    [ -x "$bin" ] || { echo "!! $bin: not built"; failed=$((failed + 1)); fail=1; continue; }
    dict=""
    [ -f "$F/$t.dict" ] && dict="-dict=$F/$t.dict"
    case "$mode" in
    replay)
        replay_set "$bin" "$t" corpus "$F/corpus/$t"
        replay_set "$bin" "$t" crashes "$F/crashes/$t"
        ;;
    run)
        out=$B/fuzz-out/$t
        mkdir -p "$out" "$F/crashes/$t"
        echo "== fuzz $t for ${seconds}s (new inputs in $out, crashes in $F/crashes/$t)"
        # The first folder receives the new inputs; the committed ones only
        # seed. Inputs stay under 8 KiB (a shipped model in the corpus is cut
        # there): small inputs mutate fast; the size limits above that (a
        # 256 KiB lesson) have their own tests.
        # shellcheck disable=SC2086
        "$bin" -max_total_time="$seconds" -max_len=8192 -timeout=10 -print_final_stats=1 \
            -artifact_prefix="$F/crashes/$t/" $dict "$out" "$F/corpus/$t" "$F/crashes/$t" >"$log" 2>&1
        rc=$?
        cp "$log" "$B/fuzz-out/$t.log"
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        grep -a -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1
        echo "   $t: ${execs:-?} executions, $(inputs "$out" | wc -l) inputs in $out (log: $B/fuzz-out/$t.log)"
        if [ $rc -ne 0 ]; then
            fail=1
            grep -a -E 'ERROR|runtime error|fuzz check failed|Test unit written|SUMMARY' "$log" | head -20
            echo "!! $t: crashed (exit $rc): fix it, or move the file to $F/open/$t/ and say why"
        fi
        ;;
    merge)
        # Adds to corpus/T the inputs of $B/fuzz-out/T that reach code the
        # corpus does not (edges, not hit counts: that keeps it to dozens).
        # shellcheck disable=SC2086
        "$bin" -merge=1 -use_counters=0 $dict "$F/corpus/$t" "$B/fuzz-out/$t" >"$log" 2>&1 || { cat "$log"; exit 1; }
        echo "   $t: $(grep -a -o 'MERGE-OUTER: [0-9]* new files' "$log" | grep -o '[0-9]*') added;" \
             "$(inputs "$F/corpus/$t" | wc -l) inputs, $(du -sk "$F/corpus/$t" | cut -f1) KiB"
        ;;
    *) echo "usage: tools/fuzz.sh replay|run SECONDS|merge BIN..." >&2; exit 2 ;;
    esac
done
[ "$mode" = replay ] && echo "fuzz: $passed passed, $failed failed"
exit $fail
