#!/bin/sh
# Output paths as people give them (base/outfile.h): a symlink to a device
# in a scratch folder is written through and the device stays, a FIFO is
# written in place with a reader on the other end, "-" is standard output
# and then stdout carries only the data, for every command that writes a file.
# /dev/null is only ever reached through a symlink in the scratch folder.
. "$(dirname "$0")/lib/common.sh"
export ASAN_OPTIONS=detect_leaks=0   # view: Mesa and SDL keep memory until exit
is_chr() { [ -c /dev/null ] && [ "$(stat -c %t:%T /dev/null)" = "1:3" ]; }
is_chr || { echo "FAIL /dev/null is not the null device before the test"; exit 1; }

"$A" train --task reverse --steps 20 --batch 8 --hidden 12 --embed 6 --n-train 200 \
    --out "$D/m.safetensors" >/dev/null 2>&1 || no "training the fixture model"
M="$D/m.safetensors"

# ---- decode --trace-json: a symlink to /dev/null, a FIFO, "-" ----
ln -s /dev/null "$D/null.json"
check 0 "--trace-json LINK to /dev/null" "$A" decode --model "$M" --input abc --trace-json "$D/null.json"
[ -L "$D/null.json" ] && [ "$(readlink "$D/null.json")" = /dev/null ] || no "the link was replaced"
is_chr || no "/dev/null is no longer the null character device"
[ "$(ls -A "$D" | grep -c tmp)" -eq 0 ] || no "a temporary file was left behind: $(ls -A "$D")"

mkfifo "$D/fifo"
cat "$D/fifo" > "$D/from-fifo.json" &
reader=$!
check 0 "--trace-json FIFO" "$A" decode --model "$M" --input abc --trace-json "$D/fifo"
wait $reader
[ -p "$D/fifo" ] || no "the FIFO was replaced"
grep -q '"output_tokens"' "$D/from-fifo.json" || no "the reader got no trace through the FIFO"

"$A" decode --model "$M" --input abcd --trace-json - > "$D/stdout.json" 2> "$D/stderr" || no "--trace-json -: exit $?"
"$A" decode --model "$M" --input abcd > "$D/plain" 2>/dev/null
[ "$(cat "$D/stderr")" = "$(tail -1 "$D/plain")" ] || no "--trace-json -: the output line is not on stderr"
if command -v python3 > /dev/null; then
    python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$D/stdout.json" || no "--trace-json -: stdout is not only JSON"
fi
cmp -s "$D/stdout.json" "$D/from-fifo.json" && no "different inputs gave the same trace (test is broken)"
"$A" decode --model "$M" --input abc --trace-json "$D/file.json" >/dev/null || no "decode to a file"
cmp -s "$D/file.json" "$D/from-fifo.json" || no "the FIFO got other bytes than a file"

# ---- export: every file option takes "-" ----
"$A" export --model "$M" --input abc --out - > "$D/s.png" 2> "$D/log" || no "export --out -: exit $?"
[ "$(head -c 4 "$D/s.png" | od -An -c | tr -d ' ')" = "211PNG" ] || no "export --out -: stdout is not a PNG"
grep -q wrote "$D/log" || no "export --out -: the message is not on stderr"
"$A" export --model "$M" --input abc --csv - > "$D/s.csv" 2>/dev/null || no "export --csv -: exit $?"
"$A" export --model "$M" --input abc --csv "$D/f.csv" > /dev/null || no "export --csv FILE"
cmp -s "$D/s.csv" "$D/f.csv" || no "export --csv -: stdout differs from the file"
"$A" export --model "$M" --input abc --svg - 2>/dev/null | xmllint --noout - || no "export --svg -: not XML"
"$A" export --model "$M" --input abc --npy - > "$D/s.npy" 2>/dev/null || no "export --npy -: exit $?"
[ "$(head -c 6 "$D/s.npy" | od -An -c | tr -d ' ')" = "223NUMPY" ] || no "export --npy -: not an .npy"
[ -e "$D/-.json" ] || [ -e "./-.json" ] && no "export --npy - left a sidecar named -.json"
check 2 "two outputs on stdout" "$A" export --model "$M" --input abc --out - --csv -
ln -s /dev/null "$D/null.png"
ln -s /dev/null "$D/null.csv"
check 0 "export --out LINK to /dev/null" "$A" export --model "$M" --input abc --out "$D/null.png" --csv "$D/null.csv"
[ -L "$D/null.png" ] && [ -L "$D/null.csv" ] || no "export replaced a link"
is_chr || no "export: /dev/null is no longer the null character device"

# ---- train --out -, view --screenshot - ----
"$A" train --task reverse --steps 5 --batch 4 --hidden 8 --embed 4 --n-train 50 --out - \
    > "$D/s.safetensors" 2> "$D/log" || no "train --out -: exit $?"
grep -q "held-out exact match" "$D/log" || no "train --out -: the report is not on stderr"
check 0 "the model from stdout loads" "$A" info --model "$D/s.safetensors"
"$A" view --demo --screenshot - --size 640x360 > "$D/v.png" 2>/dev/null || no "view --screenshot -: exit $?"
[ "$(png_size "$D/v.png")" = "640 360" ] || no "view --screenshot -: not a 640x360 PNG"
is_chr || no "/dev/null changed"

[ $fail -eq 0 ] && echo "outputs.sh: all passed"
exit $fail
