#!/bin/sh
# decode and info from the command line: output on the last line, the trace
# JSON, teacher forcing against a reference, and every refusal's exit code.
. "$(dirname "$0")/lib/common.sh"
T=$D

"$A" data --task reverse --n 200 --seed 4 > $T/rev.tsv
"$A" train --train $T/rev.tsv --bidirectional --hidden 8 --embed 4 --steps 2 --batch 4 \
    --out $T/m.safetensors > /dev/null 2> $T/err || no "train: exit $? $(cat $T/err)"

# greedy: the output is the last line of stdout, the trace is JSON
"$A" decode --model $T/m.safetensors --input abcd --max-len 5 --trace-json $T/t.json > $T/out 2> $T/err \
    || no "decode: exit $? $(cat $T/err)"
[ "$(wc -l < $T/out)" -ge 1 ] || no "decode printed nothing"
for k in '"model"' '"source_tokens": \["a", "b", "c", "d"\]' '"encoder_states"' '"steps"' \
         '"weights"' '"probs"' '"output_tokens"' '"cell": "lstm"'; do
    grep -q "$k" $T/t.json || no "trace JSON lacks $k"
done
grep -q '"reference"' $T/t.json && no "trace without --target has a reference"
[ "$(grep -c '"input_token"' $T/t.json)" -le 5 ] || no "--max-len 5 ran more than 5 steps"
if command -v python3 > /dev/null; then
    python3 -c "
import json, sys
t = json.load(open('$T/t.json'))
out = ''.join(t['output_tokens'])
last = open('$T/out').read().splitlines()[-1]
assert out == last, (out, last)
for s in t['steps']:
    assert abs(sum(s['weights']) - 1) < 1e-5 and abs(sum(s['probs']) - 1) < 1e-5
" || no "trace JSON does not match the printed output"
fi

# with a reference: exactly len + 1 steps, each with its reference and coin
"$A" decode --model $T/m.safetensors --input abc --target cba --teacher-forcing 0.5 --seed 7 \
    --trace-json $T/r.json > /dev/null 2> $T/err || no "decode --target: exit $? $(cat $T/err)"
[ "$(grep -c '"reference"' $T/r.json)" -eq 4 ] || no "decode --target cba: expected 4 steps with a reference"
"$A" decode --model $T/m.safetensors --input abc --target cba --teacher-forcing 0.5 --seed 7 \
    --trace-json $T/r2.json > /dev/null 2>&1
cmp -s $T/r.json $T/r2.json || no "decode --seed: two runs differ"

# refusals: usage errors exit 2, user errors exit 1 with one line
"$A" decode --model $T/m.safetensors > /dev/null 2>&1; [ $? -eq 2 ] || no "decode without --input should exit 2"
"$A" decode --model $T/m.safetensors --input abc --teacher-forcing 0.5 > /dev/null 2>&1
[ $? -eq 2 ] || no "--teacher-forcing without --target should exit 2"
"$A" decode --model $T/m.safetensors --input abc --target a --teacher-forcing 1.5 > /dev/null 2>&1
[ $? -eq 2 ] || no "--teacher-forcing 1.5 should exit 2"
"$A" decode --model $T/m.safetensors --input abc --max-len 0 > /dev/null 2>&1
[ $? -eq 2 ] || no "--max-len 0 should exit 2"
"$A" decode --model $T/m.safetensors --input "$(printf 'ab\377')" > /dev/null 2> $T/err
[ $? -eq 1 ] || no "invalid UTF-8 input should exit 1"
grep -q "offset 2" $T/err || no "invalid UTF-8: message lacks the byte offset: $(cat $T/err)"
"$A" decode --model $T/m.safetensors --input "" > /dev/null 2>&1; [ $? -eq 1 ] || no "empty input should exit 1"
"$A" decode --model $T/m.safetensors --input abc --trace-json /nonexistent-dir/t.json > /dev/null 2> $T/err
[ $? -eq 1 ] || no "unwritable --trace-json should exit 1"
grep -q "/nonexistent-dir/t.json" $T/err || no "unwritable --trace-json: message lacks the path"
ls /nonexistent-dir 2>/dev/null && no "a temporary file was left behind"

# info
"$A" info --model $T/m.safetensors > $T/info || no "info: exit $?"
for k in "cell: lstm" "bidirectional" "parameters: " "bridge.weight" "source vocabulary"; do
    grep -q "$k" $T/info || no "info lacks '$k'"
done
"$A" info > /dev/null 2>&1; [ $? -eq 2 ] || no "info without --model should exit 2"

exit $fail
