#!/bin/sh
# learn --lab: the mechanism lab from the command line: refusals exit 2 with
# one line, a tiny lab reports every configuration, its curves CSV has one
# column group per configuration and the same seed gives the same file;
# --screenshot renders the lab's screen.
. "$(dirname "$0")/lib/common.sh"
T=$D
tiny="--task reverse --n-train 200 --hidden 8 --embed 4 --batch 8 --steps 6 --log-every 3 --eval-every 6 --threads 1"

check 2 "lab: unknown score" "$A" learn --lab score=general,foo $tiny
grep -q "'foo' is not a score" $D/log || no "lab: the unknown score is not named: $(head -1 $D/log)"
check 2 "lab: one configuration" "$A" learn --lab tf=1 $tiny
check 2 "lab: no value" "$A" learn $tiny --lab
check 2 "lab: with --out" "$A" learn --lab reverse=off,on $tiny --out $T/m.safetensors
[ ! -e $T/m.safetensors ] || no "lab: --out was refused but a model was written"
check 0 "lab: --help" "$A" learn --lab score=dot,none --help
grep -q "reverse=off,on" $D/log || no "lab: --help does not list the axes"

"$A" learn --lab score=general,none,none+reverse $tiny --curves $T/a.csv > $T/out 2> $T/err ||
    no "lab: exit $? ($(tail -1 $T/err))"
for c in general none none+reverse; do
    grep -q "^$c " $T/out || no "lab: the report lacks $c"
done
grep -q "after 6 steps each" $T/out || no "lab: the report does not say the steps"
head -1 $T/a.csv | grep -q "^step,general.loss,general.heldout.exact,general.heldout.token,general.probe.alignment_accuracy,none.loss,.*none+reverse.probe.alignment_accuracy$" ||
    no "lab: CSV header: $(head -1 $T/a.csv)"
[ "$(cut -d, -f1 $T/a.csv | tr '\n' ' ')" = "step 0 3 6 " ] || no "lab: CSV steps: $(cut -d, -f1 $T/a.csv | tr '\n' ' ')"
[ "$(awk -F, '{print NF}' $T/a.csv | sort -u)" = "13" ] || no "lab: CSV rows do not all have 13 cells"
"$A" learn --lab score=general,none,none+reverse $tiny --curves $T/b.csv > /dev/null 2>&1
cmp -s $T/a.csv $T/b.csv || no "lab: the same seed gave different curves"
# a lab's configuration trains like `learn` alone with that option
"$A" learn $tiny --score none --reverse-source --log-jsonl $T/one.jsonl > /dev/null 2>&1
want=$(sed -n 's/^{"step": 6, .*"loss": \([^,]*\),.*/\1/p' $T/one.jsonl)
got=$(awk -F, '$1 == 6 {print $10}' $T/a.csv)
[ -n "$want" ] && [ "$want" = "$got" ] || no "lab: none+reverse's loss at step 6 is '$got', learn alone says '$want'"
# the curves go through the one writer: a missing folder is one line, nothing written
check 1 "lab: --curves into a missing folder" "$A" learn --lab score=dot,none $tiny --curves $T/no/such/c.csv
[ "$(grep -c . $D/log | head -1)" -ge 1 ] && grep -q "attnviz learn: --curves: .*no/such/c.csv" $D/log ||
    no "lab: missing folder: $(tail -1 $D/log)"
# the lab's screen, headless
check 0 "lab: --screenshot" "$A" learn --lab score=dot,none $tiny --screenshot $T/lab.png --lang ko --theme dark
[ "$(png_size $T/lab.png)" = "1280 720" ] || no "lab: screenshot size $(png_size $T/lab.png)"
check 2 "lab: bad --size" "$A" learn --lab score=dot,none $tiny --screenshot $T/x.png --size 10x10
[ ! -e $T/x.png ] || no "lab: a refused --size wrote a PNG"
exit $fail
