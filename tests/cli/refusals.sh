#!/bin/sh
# Issue 14's small ones, as a user types them: an empty or blank --target is
# refused like an empty --input; an empty output name is not "a folder"; an
# output whose extension names another format is refused before anything is
# written; a multi-file export is all or nothing; train --steps 0 says that
# the model it saves is untrained.
. "$(dirname "$0")/lib/common.sh"
M=assets/models/dates-dot.safetensors
one_line() { [ "$(wc -l < "$1")" -eq 1 ] || no "$2: not one line: $(cat "$1")"; }
NBSP=$(printf '\302\240\302\240')

# ---- --target "" and blank targets: refused, as --input "" is ------------------
for cmd in decode export; do
    out=; [ $cmd = export ] && out="--out $D/t.png"
    for t in "" "   " "$NBSP"; do
        check 1 "$cmd --target '$t'" "$A" $cmd --model $M --input "5 march 2001" --target "$t" $out
        grep -q "^attnviz $cmd: --target has no tokens" $D/log || no "$cmd --target '$t': $(cat $D/log)"
        one_line $D/log "$cmd --target '$t'"
    done
    check 1 "$cmd --input ''" "$A" $cmd --model $M --input "" $out
    grep -q "^attnviz $cmd: --input has no tokens" $D/log || no "$cmd --input '': $(cat $D/log)"
done
[ ! -e $D/t.png ] || no "export with an empty --target wrote its PNG"
check 0 "decode --target (a real one)" "$A" decode --model $M --input "5 march 2001" --target "2001-03-05"

# ---- an empty output name -----------------------------------------------------------
for o in --out --svg --csv --npy; do
    check 1 "export $o ''" "$A" export --model $M --input "5 march 2001" $o ""
    grep -q "folder" $D/log && no "export $o '': $(cat $D/log)"
    grep -q "empty file name" $D/log || no "export $o '': $(cat $D/log)"
    one_line $D/log "export $o ''"
done

# ---- an extension that names another format: refused before any file is written ---
cd $D || exit 1
for a in "--out x.jpg" "--svg x.png" "--csv x.tsv" "--npy x.json" "--out x.PNG.jpg"; do
    extra="--csv y.csv"; case "$a" in --csv*) extra="--svg y.svg" ;; esac
    check 2 "export $a" "$OLDPWD/$A" export --model "$OLDPWD/$M" --input "5 march 2001" $a $extra
    grep -q "does not end in" $D/log || no "export $a: $(cat $D/log)"
    one_line $D/log "export $a"
    [ "$(ls | grep -v -x log)" = "" ] || no "export $a wrote a file: $(ls)"
done
check 2 "view --screenshot x.jpg" "$OLDPWD/$A" view --model "$OLDPWD/$M" --input "5 march 2001" --screenshot x.jpg
grep -q "does not end in .png" $D/log || no "view --screenshot x.jpg: $(cat $D/log)"
check 2 "train --out m.pt" "$OLDPWD/$A" train --task reverse --steps 1 --out m.pt
grep -q "does not end in .safetensors" $D/log || no "train --out m.pt: $(cat $D/log)"
# the extension's case does not matter, a name without one is taken (a FIFO, a device)
check 0 "export --out X.PNG" "$OLDPWD/$A" export --model "$OLDPWD/$M" --input "5 march 2001" --out X.PNG
check 0 "export --out noext" "$OLDPWD/$A" export --model "$OLDPWD/$M" --input "5 march 2001" --out noext
[ "$(od -An -c -N4 noext | tr -d ' ')" = "211PNG" ] || no "export --out noext: not a PNG"
cd "$OLDPWD" || exit 1

# ---- a multi-file export is all or nothing --------------------------------------------
# The PNG (~17 KB) is over the file size limit, the CSV (~2 KB) under it: neither
# old file may change, no temporary file may stay.
printf 'old png' > $D/a.png; printf 'old csv' > $D/a.csv; printf 'old npy' > $D/a.npy
before=$(ls -a $D | wc -l)
(trap '' XFSZ; ulimit -f 16; exec "$A" export --model $M --input "5 march 2001" --out $D/a.png --csv $D/a.csv \
    --npy $D/a.npy) > $D/log 2>&1
[ $? -eq 1 ] || no "export over the file size limit: exit $?, expected 1: $(cat $D/log)"
grep -q "a.png" $D/log || no "export over the limit: the message does not name a.png: $(cat $D/log)"
[ "$(cat $D/a.png)" = "old png" ] && [ "$(cat $D/a.csv)" = "old csv" ] && [ "$(cat $D/a.npy)" = "old npy" ] ||
    no "a failed multi-file export changed a file"
[ ! -e $D/a.json ] || no "a failed multi-file export wrote the .npy's sidecar"
[ "$(ls -a $D | wc -l)" -eq "$before" ] || no "a failed multi-file export left files: $(ls -a $D)"
# a later file that fails (a link to /dev/full: written in place, and the write
# fails) after an earlier one was written whole: the earlier one stays old too
ln -s /dev/full $D/full.csv
check 1 "export --csv to /dev/full" "$A" export --model $M --input "5 march 2001" --out $D/a.png --csv $D/full.csv
grep -q "full.csv" $D/log || no "export --csv to /dev/full: $(cat $D/log)"
[ "$(cat $D/a.png)" = "old png" ] || no "export replaced a.png although its --csv failed"
[ -L $D/full.csv ] || no "export replaced the link to /dev/full"
rm $D/full.csv
check 0 "export to three files" "$A" export --model $M --input "5 march 2001" --out $D/a.png --csv $D/a.csv --npy $D/a.npy
[ "$(cat $D/a.csv)" != "old csv" ] && [ -s $D/a.json ] || no "the three files were not written"

# ---- train --steps 0: saved, and said to be untrained ----------------------------------
check 0 "train --steps 0" "$A" train --task reverse --n-train 100 --hidden 8 --embed 4 --steps 0 --out $D/u.safetensors
grep -q "the model is untrained (--steps 0)" $D/log || no "train --steps 0 does not say the model is untrained: $(cat $D/log)"
"$A" info --model $D/u.safetensors | grep -q "^trained steps: 0$" || no "the untrained model does not say trained steps 0"
"$A" train --help | grep -q -- "--steps N.*0: save the untrained model" || no "train --help does not say what --steps 0 does"

exit $fail
