#!/bin/sh
# attnviz export --animation end to end, no display: the GIF's header, size
# and frame count (from the summary line), standard output, a lesson slide,
# the options' refusals, bad paths and a file size limit that leave nothing
# behind, and the 10-step decoding of the standard model under 8 MB (with
# the release binary: the same frames, a minute instead of several).
. "$(dirname "$0")/lib/common.sh"
M=assets/models/dates-general.safetensors
IN="21 Nov 2026"
FAST="--size 400x240 --fps 10 --speed 8"   # 2 frames a phase
gif_size() { od -An -tu1 -j6 -N4 "$1" | awk '{print $1+256*$2, $3+256*$4}'; }

check 0 "one step, small and fast" "$A" export --animation "$D/a.gif" --model "$M" --input "$IN" --steps 2 $FAST
[ "$(head -c 6 "$D/a.gif")" = "GIF89a" ] || no "a.gif is not a GIF89a"
[ "$(gif_size "$D/a.gif")" = "400 240" ] || no "a.gif is $(gif_size "$D/a.gif"), not 400 240"
grep -q "16 frames (steps 2-2, 8 phases each, 2 frames a phase), 400x240 at 10 fps, loops" "$D/log" ||
    { no "the summary does not say 16 frames"; cat "$D/log"; }

check 0 "to standard output, dark, in Korean, played once" sh -c \
    "'$A' export --animation - --model '$M' --input '$IN' --steps 1-2 $FAST --theme dark --lang ko --loop once >'$D/b.gif'"
[ "$(head -c 6 "$D/b.gif")" = "GIF89a" ] || no "stdout: not a GIF"
grep -q "32 frames.*plays once" "$D/log" || { no "stdout: the summary is missing from stderr"; cat "$D/log"; }
grep -q "NETSCAPE2.0" "$D/b.gif" && no "--loop once still has a loop block"
grep -q "NETSCAPE2.0" "$D/a.gif" || no "the default GIF has no loop block"

check 0 "another score" "$A" export --animation "$D/c.gif" --model "$M" --input "$IN" --steps 1 $FAST --score additive
check 0 "view --animation" "$A" view --animation "$D/v.gif" --model "$M" --input "$IN" --steps 1 $FAST
cmp -s "$D/a.gif" "$D/v.gif" && no "steps 2 and 1 gave the same GIF"

# a lesson slide: its own step (slide 4 of lesson 3 shows step 1), the narration beside
check 0 "a lesson slide" "$A" export --animation "$D/l.gif" --lesson lessons/en/03-dot-attention.md --slide 4 $FAST
grep -q "16 frames (steps 1-1" "$D/log" || { no "a lesson slide: not its own step"; cat "$D/log"; }
check 1 "a chart slide" "$A" export --animation "$D/ch.gif" --lesson lessons/en/02-bottleneck.md --slide 4 $FAST
grep -q "nothing moves" "$D/log" || { no "a chart slide: unclear message"; cat "$D/log"; }
[ -e "$D/ch.gif" ] && no "a chart slide left a file"

check 2 "--fps 15" "$A" export --animation "$D/x.gif" --model "$M" --input "$IN" --fps 15
grep -q "10, 20, 25 or 50" "$D/log" || no "--fps 15: the message does not list the rates"
check 2 "--steps 3-2" "$A" export --animation "$D/x.gif" --model "$M" --input "$IN" --steps 3-2
check 2 "--steps x" "$A" export --animation "$D/x.gif" --model "$M" --input "$IN" --steps x
check 2 "--steps past the end" "$A" export --animation "$D/x.gif" --model "$M" --input "$IN" --steps 5-40
grep -q "steps 5-40: this decoding has 11 steps" "$D/log" || { no "--steps past the end: unclear"; cat "$D/log"; }
check 2 "--loop twice" "$A" export --animation "$D/x.gif" --model "$M" --input "$IN" --loop twice
check 2 "--speed 9" "$A" export --animation "$D/x.gif" --model "$M" --input "$IN" --speed 9
check 2 "--score cosine" "$A" export --animation "$D/x.gif" --model "$M" --input "$IN" --score cosine
check 2 "--steps without --animation" "$A" view --model "$M" --input "$IN" --steps 1 --screenshot "$D/x.png"
check 2 "--animation with --screenshot" "$A" view --animation "$D/x.gif" --screenshot "$D/x.png"
[ -e "$D/x.gif" ] && no "a refused command left x.gif"
mkdir "$D/m" && cp "$M" "$D/m/dates-general.safetensors"
check 1 "--score without its model" "$A" export --animation "$D/x.gif" --model "$D/m/dates-general.safetensors" \
    --input "$IN" --score dot $FAST
grep -q "dates-dot.safetensors" "$D/log" || { no "--score: the message does not name the missing model"; cat "$D/log"; }

check 1 "unwritable folder" "$A" export --animation "$D/no/such/dir/x.gif" --model "$M" --input "$IN" --steps 1 $FAST
grep -q "no/such/dir/x.gif" "$D/log" || no "unwritable: the message does not name the file"
[ "$(wc -l <"$D/log")" -eq 1 ] || { no "unwritable: not one line"; cat "$D/log"; }

# a full disk, imitated by a file size limit (2 KiB): one line, nothing left
mkdir "$D/full"
( ulimit -f 2; "$A" export --animation "$D/full/x.gif" --model "$M" --input "$IN" --steps 1 $FAST ) >"$D/log" 2>&1
got=$?
[ "$got" -eq 1 ] || { no "file size limit: exit $got, expected 1"; head -3 "$D/log"; }
grep -q "x.gif.*too large" "$D/log" || { no "file size limit: unclear message"; head -3 "$D/log"; }
[ -z "$(ls -A "$D/full")" ] || no "file size limit left files: $(ls -A "$D/full")"

# the issue's figure: a 10-step decoding of the standard model, every default
# (960x540, 20 fps, 1.6 s a phase, looping) under 8 MB
R=${B:-build}/attnviz
check 0 "10 steps at the defaults" "$R" export --animation "$D/ten.gif" --model "$M" --input "$IN" --steps 1-10
grep -q "2560 frames (steps 1-10, 8 phases each, 32 frames a phase), 960x540 at 20 fps, loops" "$D/log" ||
    { no "10 steps: not 2560 frames at 960x540"; cat "$D/log"; }
size=$(wc -c <"$D/ten.gif")
[ "$size" -lt 8000000 ] || no "10 steps: $size bytes, over 8 MB"
sed 's/^/    /' "$D/log"

[ $fail -eq 0 ] && echo "animation.sh: all passed"
exit $fail
