#!/bin/sh
# Issue 14 from the command line: attention biases and source <eos> trained,
# saved and decoded; inputs the vocabulary does not know named on stderr
# (exit code unchanged); loaders that refuse devices, hostile vocabularies
# and huge weights on one printable line, and never exit 0 on a NaN; TSV
# files with a header, comments, a huge line.
. "$(dirname "$0")/lib/common.sh"
export ASAN_OPTIONS=detect_leaks=0   # view: Mesa and SDL keep memory until exit
T=$D
one_line() { # file: exactly one line, no byte a terminal acts on
    [ "$(wc -l < "$1")" -le 1 ] || no "$2: more than one line: $(cat "$1")"
    LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$1" && no "$2: a control byte reached the terminal"
}

# ---- train --attn-bias --source-eos: saved, reported, decoded with <eos> last
"$A" data --task reverse --n 200 --seed 4 > $T/rev.tsv
check 0 "train --attn-bias --source-eos" "$A" train --train $T/rev.tsv --style bahdanau --score additive \
    --cell gru --attn-bias --source-eos --hidden 8 --embed 4 --steps 2 --batch 4 --out $T/b.safetensors
"$A" info --model $T/b.safetensors > $T/info 2>&1
grep -q "attention.v_a.bias" $T/info && grep -q "attention.U_a.bias" $T/info || no "info lists no attention bias"
grep -q "attention biases: yes   source <eos>: yes" $T/info || no "info: $(grep tokenizer $T/info)"
check 0 "decode a source_eos model" "$A" decode --model $T/b.safetensors --input abc --trace-json $T/b.json
grep -q '"source_tokens": \["a", "b", "c", "<eos>"\]' $T/b.json || no "the trace lacks <eos> as its last source token"
grep -q '"attn_bias": true, "source_eos": true' $T/b.json || no "the trace's model lacks attn_bias/source_eos"

# ---- unknown input tokens: one line on stderr, exit 0, positions in the trace
"$A" train --train $T/rev.tsv --hidden 8 --embed 4 --steps 2 --batch 4 --out $T/m.safetensors > /dev/null 2>&1
"$A" decode --model $T/m.safetensors --input "ab\$é" --trace-json $T/u.json > $T/out 2> $T/err \
    || no "decode with unknown characters: exit $?"
grep -q "'\\\$' and 'é' are not among the [0-9]* characters this model knows" $T/err || no "unknown: $(cat $T/err)"
one_line $T/err "the unknown-character warning"
grep -q '"unknown_source": \[2, 3\]' $T/u.json || no "trace: $(grep unknown_source $T/u.json)"
"$A" decode --model $T/m.safetensors --input "ABC" > /dev/null 2> $T/err
[ -s $T/err ] && no "ABC is found by case folding, yet: $(cat $T/err)"
"$A" export --model $T/m.safetensors --input "ab%" --csv $T/x.csv > /dev/null 2> $T/err || no "export: exit $?"
grep -q "'%' is not among" $T/err || no "export does not name the unknown character: $(cat $T/err)"
printf 'ab%%\tba\nabc\tcba\n' > $T/unk.tsv
"$A" eval --model $T/m.safetensors --test $T/unk.tsv > /dev/null 2> $T/err || no "eval: exit $?"
grep -q "1 source tokens in 1 of 2 pairs are not among" $T/err || no "eval: $(cat $T/err)"

# ---- loaders: devices, hostile vocabularies, bytes for the terminal
check 1 "info on /dev/zero" "$A" info --model /dev/zero
grep -q "header length 0" $D/log || no "/dev/zero: $(cat $D/log)"
one_line $D/log "/dev/zero"
if command -v python3 > /dev/null; then
    python3 - $T/m.safetensors $T <<'PY'
import json, struct, sys
src, out = sys.argv[1], sys.argv[2]
b = open(src, 'rb').read()
n = struct.unpack('<Q', b[:8])[0]
h, data = json.loads(b[8:8 + n]), b[8 + n:]
def write(name, hdr, d=data):
    t = json.dumps(hdr, separators=(',', ':')).encode()
    open(f'{out}/{name}', 'wb').write(struct.pack('<Q', len(t)) + t + d)
v = json.loads(h['__metadata__']['src_vocab'])
evil = dict(h, __metadata__=dict(h['__metadata__'], src_vocab=json.dumps(v[:4] + ['\x1b[2J\x1b[Hpwned\n'] + v[5:])))
write('evil.safetensors', evil)
dup = dict(h, __metadata__=dict(h['__metadata__'], src_vocab=json.dumps(v[:5] + [v[4]] + v[6:])))
write('dup.safetensors', dup)
name = dict(h); name['x\x07\r\ny'] = h['decoder.out.bias']
write('name.safetensors', name)
huge = bytearray(data)
for k in range(0, len(huge), 4):
    huge[k:k + 4] = struct.pack('<f', 3e38 if (k // 4 * 2654435761) % 7 < 3 else -3e38)
write('huge.safetensors', h, bytes(huge))
PY
    check 1 "a vocabulary entry with ESC and LF" "$A" info --model $T/evil.safetensors
    grep -q 'src_vocab: id 4 ("\\x1B\[2J\\x1B\[Hpwned\\x0A") holds a control character' $D/log || no "evil: $(cat $D/log)"
    one_line $D/log "a hostile vocabulary entry"
    check 1 "a repeated vocabulary entry" "$A" decode --model $T/dup.safetensors --input ab
    grep -q "repeats id 4" $D/log || no "dup: $(cat $D/log)"
    check 1 "a tensor name with BEL, CR, LF" "$A" info --model $T/name.safetensors
    one_line $D/log "a hostile tensor name"
    # ±3e38 weights load, and every command that decodes stops with exit 1
    check 0 "huge weights load" "$A" info --model $T/huge.safetensors
    check 1 "decode, huge weights" "$A" decode --model $T/huge.safetensors --input abcd
    grep -q "huge.safetensors: .*not finite (\(NaN\|infinity\))" $D/log || no "decode NaN: $(cat $D/log)"
    check 1 "eval, huge weights" "$A" eval --model $T/huge.safetensors --test $T/rev.tsv
    grep -q "not finite" $D/log || no "eval NaN: $(cat $D/log)"
    check 1 "export, huge weights" "$A" export --model $T/huge.safetensors --input abcd --csv $T/h.csv
    [ -e $T/h.csv ] && no "export of a NaN decoding wrote a file"
    check 1 "view, huge weights" "$A" view --model $T/huge.safetensors --input abcd --screenshot $T/h.png
    [ -e $T/h.png ] && no "view of a NaN decoding wrote a screenshot"
fi

# ---- TSV: a header is reported, comments skipped, a huge line refused early
{ printf 'source\ttarget\n# reversed strings\n\n'; cat $T/rev.tsv; } > $T/h.tsv
check 0 "train on a TSV with a header" "$A" train --train $T/h.tsv --hidden 8 --embed 4 --steps 1 --batch 4 \
    --out $T/h.safetensors
grep -q "h.tsv: line 1 is a header (source, target), not a pair: skipped" $D/log || no "header: $(cat $D/log)"
check 1 "train --train /dev/zero" "$A" train --train /dev/zero --steps 1 --out $T/z.safetensors
grep -q "/dev/zero:1: contains a NUL byte" $D/log || no "/dev/zero TSV: $(cat $D/log)"
head -c 30000000 /dev/zero | tr '\0' 'a' > $T/long.tsv
check 1 "a 30 MB line" "$A" train --train $T/long.tsv --steps 1 --out $T/z.safetensors
grep -q "long.tsv:1: line is longer than 1024 bytes" $D/log || no "long line: $(cat $D/log)"
printf 'abc\t\302\240\302\240\n' > $T/nbsp.tsv
check 1 "a target of non-breaking spaces" "$A" eval --model $T/m.safetensors --test $T/nbsp.tsv
grep -q "the target is empty (only white space)" $D/log || no "NBSP target: $(cat $D/log)"

exit $fail
