#!/bin/sh
# attnviz export end to end: tiny models trained here (quality does not
# matter), then every output format, determinism, --all-scores, and the
# failures that must leave no file behind (bad folder, file size limit).
. "$(dirname "$0")/lib/common.sh"
for s in general dot none; do
    "$A" train --task reverse --score $s --steps 20 --batch 8 --hidden 12 --embed 6 --n-train 200 \
        --out "$D/rev-$s.safetensors" >/dev/null 2>&1 || no "training the $s fixture model"
done
M="$D/rev-general.safetensors"

check 0 "export all formats" "$A" export --model "$M" --input "abcdefg" --out "$D/a.png" --svg "$D/a.svg" \
    --csv "$D/a.csv" --npy "$D/a.npy" --values --scale 2 --theme dark
for f in a.png a.svg a.csv a.npy a.json; do [ -s "$D/$f" ] || no "$f missing"; done
[ "$(head -c 4 "$D/a.png" | od -An -c | tr -d ' ')" = "211PNG" ] || no "a.png is not a PNG"
xmllint --noout "$D/a.svg" || no "a.svg is not well-formed XML"
# 7 source tokens: the header row has 8 fields; rows: header + output steps
[ "$(head -1 "$D/a.csv" | tr ',' '\n' | wc -l)" -eq 8 ] || no "csv header has the wrong width"
grep -q '"source_tokens"' "$D/a.json" || no "a.json has no source tokens"

check 0 "export again" "$A" export --model "$M" --input "abcdefg" --out "$D/b.png" --svg "$D/b.svg" --values --scale 2 --theme dark
cmp -s "$D/a.png" "$D/b.png" || no "same input, different PNG bytes"
cmp -s "$D/a.svg" "$D/b.svg" || no "same input, different SVG bytes"

check 0 "--all-scores" "$A" export --model "$M" --input "abc" --all-scores --out "$D/all.png"
grep -q "skipping.*rev-none" "$D/log" || no "--all-scores does not say it skipped score none"
check 1 "score none alone" "$A" export --model "$D/rev-none.safetensors" --input "abc" --out "$D/none.png"
[ "$(wc -l <"$D/log")" -eq 1 ] || no "score none: not one line"
[ -e "$D/none.png" ] && no "score none left a file"

check 2 "--scale 5" "$A" export --model "$M" --input abc --out "$D/x.png" --scale 5
check 2 "--theme blue" "$A" export --model "$M" --input abc --out "$D/x.png" --theme blue
check 2 "no output" "$A" export --model "$M" --input abc
check 1 "missing model" "$A" export --model "$D/nope.safetensors" --input abc --out "$D/x.png"
grep -q "nope.safetensors" "$D/log" || no "missing model: the message does not name the file"

check 1 "unwritable folder" "$A" export --model "$M" --input abc --out "$D/no/such/dir/x.png"
grep -q "no/such/dir/x.png" "$D/log" || no "unwritable: the message does not name the file"
[ "$(wc -l <"$D/log")" -eq 1 ] || no "unwritable: not one line"

# a full disk, imitated by a file size limit (1 KiB): one line, nothing left
mkdir "$D/full"
( ulimit -f 2; "$A" export --model "$M" --input "abcdefg" --out "$D/full/x.png" --scale 2 ) >"$D/log" 2>&1
got=$?
[ "$got" -eq 1 ] || { no "file size limit: exit $got, expected 1"; head -3 "$D/log"; }
grep -q "x.png.*too large" "$D/log" || { no "file size limit: unclear message"; head -3 "$D/log"; }
[ -z "$(ls -A "$D/full")" ] || no "file size limit left files: $(ls -A "$D/full")"

[ $fail -eq 0 ] && echo "export.sh: all passed"
exit $fail
