#!/bin/sh
# attnviz view from the command line: usage errors exit 2 with one line,
# bad models and inputs exit 1 naming the problem, and --screenshot writes a
# whole PNG of the asked size for a real (tiny) model and for --demo, with no
# display needed (SDL's offscreen driver) and nothing left behind on failure.
. "$(dirname "$0")/lib/common.sh"
export ASAN_OPTIONS=detect_leaks=0   # Mesa and SDL keep memory until exit

check 2 "unknown phase" "$A" view --demo --screenshot "$D/x.png" --phase sideways
grep -q "sideways" "$D/log" || no "the bad phase is not named"
check 2 "--step without --screenshot" "$A" view --demo --step 2
check 2 "bad --size" "$A" view --demo --screenshot "$D/x.png" --size 12x
check 2 "bad --theme" "$A" view --demo --theme sepia
check 2 "unknown option" "$A" view --sparkle
check 1 "missing model" "$A" view --model "$D/none.safetensors" --screenshot "$D/x.png"
grep -q "none.safetensors" "$D/log" || no "the missing model is not named"
printf 'not a model' >"$D/bad.safetensors"
check 1 "broken model" "$A" view --model "$D/bad.safetensors" --screenshot "$D/x.png"
[ -e "$D/x.png" ] && no "a failed view left a screenshot"

check 0 "demo screenshot" "$A" view --demo --screenshot "$D/demo.png" --size 1100x650 --step 3 --phase softmax
[ "$(png_size "$D/demo.png")" = "1100 650" ] || no "demo.png is not 1100x650: $(png_size "$D/demo.png")"
check 2 "step past the end" "$A" view --demo --screenshot "$D/x.png" --step 99

"$A" train --task reverse --steps 20 --batch 8 --hidden 12 --embed 6 --n-train 200 \
    --out "$D/rev.safetensors" >/dev/null 2>&1 || no "training the fixture model"
check 0 "model screenshot, dark, Hangul font" "$A" view --model "$D/rev.safetensors" --input "abcdef" \
    --target "fedcba" --teacher-forcing 0.5 --seed 2 --theme dark --screenshot "$D/m.png" --phase next
[ "$(png_size "$D/m.png")" = "1280 720" ] || no "m.png is not 1280x720"
check 1 "input with invalid UTF-8" "$A" view --model "$D/rev.safetensors" --input "$(printf 'ab\377')" --screenshot "$D/y.png"
[ -e "$D/y.png" ] && no "a failed view left a screenshot"
check 1 "unwritable screenshot" "$A" view --demo --screenshot /nonexistent-dir/v.png
ls "$D"/*.tmp* >/dev/null 2>&1 && no "a temporary file was left behind"
exit $fail
