#!/bin/sh
# attnviz --lesson FILE --slide N --screenshot: a slide renders headless and
# exits 0; a malformed lesson exits 1 with FILE:LINE: what on stderr and
# leaves no file; a slide past the end and misused options exit 2; a slide
# whose model is missing exits 1 naming it. The models are a tiny one
# trained here (ATTNVIZ_MODELS points the app at them).
. "$(dirname "$0")/lib/common.sh"
export ASAN_OPTIONS=detect_leaks=0   # Mesa and SDL keep memory until exit

mkdir -p "$D/models" "$D/lessons/en"
export ATTNVIZ_MODELS="$D/models" ATTNVIZ_LESSONS="$D/lessons"
"$A" train --task reverse --steps 20 --batch 8 --hidden 12 --embed 6 --n-train 200 \
    --out "$D/models/reverse-general.safetensors" >/dev/null 2>&1 || no "training the fixture model"
printf 'length\treverse-none\treverse-general\n1-4\t0.5\t1\n5-9\t0.25\t0.875\n' >"$D/models/copy-by-length.tsv"
L="$D/lessons/en/01-test.md"
cat >"$L" <<'EOS'
# A test lesson

task: reverse
level: beginner
minutes: 5

## Reading
model: reverse-general
input: abcdef
step: 2
phase: softmax

The decoder looks at **one** letter: $a_t(s)$.

## Measured
chart: copy-by-length

A chart.

## Missing
model: reverse-dot

This model does not exist.
EOS

check 0 "slide 1" "$A" --lesson "$L" --slide 1 --screenshot "$D/s1.png"
[ "$(png_size "$D/s1.png")" = "1280 720" ] || no "s1.png is not 1280x720"
check 0 "slide 1 through view, small, Korean UI" "$A" view --lesson "$L" --slide 1 --lang ko --size 1024x600 --screenshot "$D/s1s.png"
[ "$(png_size "$D/s1s.png")" = "1024 600" ] || no "s1s.png is not 1024x600"
check 0 "slide 1 with --step/--phase" "$A" --lesson "$L" --slide 1 --step 1 --phase encoder --screenshot "$D/s1e.png"
cmp -s "$D/s1.png" "$D/s1e.png" && no "--step/--phase did not change the slide's picture"
check 0 "chart slide" "$A" --lesson "$L" --slide 2 --screenshot "$D/s2.png"
check 1 "slide with a missing model" "$A" --lesson "$L" --slide 3 --screenshot "$D/s3.png"
grep -q "01-test.md:2[0-9]: .*reverse-dot" "$D/log" || { no "the missing model's line is not named"; cat "$D/log"; }
[ -e "$D/s3.png" ] && no "a failed slide left a screenshot"
check 2 "slide past the end" "$A" --lesson "$L" --slide 4 --screenshot "$D/x.png"
grep -q "3 slides" "$D/log" || no "the slide count is not said"
check 2 "--slide without --lesson" "$A" --slide 2 --screenshot "$D/x.png"
check 2 "--lang xx" "$A" --lesson "$L" --lang xx --screenshot "$D/x.png"
check 2 "--lesson with --model" "$A" --lesson "$L" --model "$D/models/reverse-general.safetensors" --screenshot "$D/x.png"

sed 's/^phase: softmax$/phase: softmx/' "$L" >"$D/lessons/en/02-bad.md"
check 1 "malformed lesson" "$A" --lesson "$D/lessons/en/02-bad.md" --slide 1 --screenshot "$D/x.png"
grep -q "02-bad.md:11: .*softmx" "$D/log" || { no "the error does not name file:line: what"; cat "$D/log"; }
[ "$(wc -l <"$D/log")" -eq 1 ] || no "the error is not one line"
check 1 "missing lesson" "$A" --lesson "$D/none.md" --screenshot "$D/x.png"
grep -q "none.md" "$D/log" || no "the missing lesson is not named"
[ -e "$D/x.png" ] && no "a failed run left a screenshot"

check 0 "the picker (no arguments but the screenshot)" "$A" --screenshot "$D/picker.png"
check 0 "the picker in Korean" "$A" --lang ko --screenshot "$D/picker-ko.png"
ls "$D"/*.tmp* >/dev/null 2>&1 && no "a temporary file was left behind"
exit $fail
