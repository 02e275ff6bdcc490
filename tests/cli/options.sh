#!/bin/sh
# The option tables from outside (src/cli/opt.h; test_opt.c checks the
# tables themselves): every option a command's --help names is one its
# parser takes; --opt=value equals --opt value; refusals are one line that
# names the option and the command, exit 2; `attnviz help COMMAND` is
# `attnviz COMMAND --help`; --version and -V; and no command parses argv by
# hand beside its table.
. "$(dirname "$0")/lib/common.sh"
export ASAN_OPTIONS=detect_leaks=0   # view: Mesa and SDL keep memory until exit
one_line() { [ "$(wc -l < "$1")" -eq 1 ] || no "$2: not one line: $(cat "$1")"; }

cmds=$("$A" --help | sed -n '/^commands:/,/^$/p' | awk 'NF > 1 && $1 != "commands:" {print $1}')
[ "$(echo $cmds | wc -w)" -ge 8 ] || no "attnviz --help lists only: $cmds"
for c in $cmds; do
    check 0 "$c --help" "$A" $c --help
    "$A" $c --help > "$D/h1" 2>&1
    "$A" help $c > "$D/h2" 2>&1 || no "attnviz help $c: exit $?"
    cmp -s "$D/h1" "$D/h2" || no "attnviz help $c differs from attnviz $c --help"
    "$A" $c -h | cmp -s - "$D/h1" || no "$c -h differs from $c --help"
    # every --option the help names is known to the parser: `--opt=x --zzz` stops
    # at --opt=x (a flag takes no value, x is no number, ...) or at --zzz, never
    # runs the command, and names --opt as unknown only if the parser lacks it
    for o in $(grep -o -- '--[a-z][a-z-]*' "$D/h1" | sort -u | grep -v -x -- --help); do
        "$A" $c $o=x --zzz < /dev/null > "$D/o" 2>&1
        [ $? -eq 2 ] || no "$c $o=x --zzz: exit $?"
        grep -q "unknown option '$o'" "$D/o" && no "$c --help names $o, but $c does not take it: $(cat "$D/o")"
    done
    # an unknown option: exit 2, one line naming the option and the command
    check 2 "$c --no-such-option" "$A" $c --no-such-option
    grep -q "^attnviz $c: unknown option '--no-such-option'" "$D/log" || no "$c: $(cat "$D/log")"
    one_line "$D/log" "$c with an unknown option"
    check 2 "$c --no-such=1" "$A" $c --no-such=1
    grep -q "unknown option '--no-such'" "$D/log" || no "$c --no-such=1: $(cat "$D/log")"
    check 2 "$c with a stray argument" "$A" $c stray
    grep -q "^attnviz $c: unexpected argument 'stray'" "$D/log" || no "$c stray: $(cat "$D/log")"
    one_line "$D/log" "$c with a stray argument"
done
check 0 "attnviz help" "$A" help
"$A" --help | cmp -s - "$D/log" || no "attnviz help differs from attnviz --help"
check 2 "attnviz help nope" "$A" help nope
grep -q "unknown command 'nope'" "$D/log" || no "help nope: $(cat "$D/log")"
check 2 "attnviz help decode extra" "$A" help decode extra
check 2 "unknown command" "$A" frobnicate
one_line "$D/log" "an unknown command"

# ---- values: --opt=value is --opt value; missing values and ranges, one line each
"$A" data --task reverse --n 5 --seed 3 > "$D/a" || no "data --n 5: exit $?"
"$A" data --task=reverse --n=5 --seed=3 > "$D/b" || no "data --n=5: exit $?"
cmp -s "$D/a" "$D/b" || no "--opt=value gives other pairs than --opt value"
[ "$(wc -l < "$D/a")" -eq 5 ] || no "data --n 5: $(wc -l < "$D/a") lines"
check 2 "a missing value" "$A" data --task reverse --n
grep -q "^attnviz data: --n needs a value" "$D/log" || no "missing value: $(cat "$D/log")"
one_line "$D/log" "a missing value"
check 2 "a value out of range" "$A" decode --model m --input x --max-len 0
grep -q "^attnviz decode: --max-len: expected a whole number from 1 to 10000, got '0'" "$D/log" || no "$(cat "$D/log")"
check 2 "--x= (empty)" "$A" decode --model m --input x --max-len=
check 2 "an enum" "$A" data --task reverse --split dev
grep -q "^attnviz data: --split: expected train or test, got 'dev'" "$D/log" || no "enum: $(cat "$D/log")"
check 2 "a flag with a value" "$A" eval --model m --task reverse --by-length=yes
grep -q "^attnviz eval: --by-length takes no value" "$D/log" || no "flag=value: $(cat "$D/log")"
check 2 "required" "$A" decode --input x
grep -q "^attnviz decode: --model is required" "$D/log" || no "required: $(cat "$D/log")"
one_line "$D/log" "a required option"
check 2 "needs" "$A" decode --model m --input x --lr 0.5
grep -q "^attnviz decode: --lr needs --grad-json" "$D/log" || no "needs: $(cat "$D/log")"
check 2 "--n without --task" "$A" eval --model m --test x.tsv --n 5
# a typed value with an escape sequence is shown escaped, on one line
check 2 "an escaped value" "$A" data --task reverse --n "$(printf '1\033[2J\n')"
LC_ALL=C grep -q "$(printf '\033')" "$D/log" && no "the ESC of a value reached the terminal"
one_line "$D/log" "a value with ESC and LF"

# ---- --version, -V: the Makefile's VERSION and the commit of the build
check 0 "--version" "$A" --version
want=$(sed -n 's/^VERSION *:= *//p' Makefile)
grep -q "^attnviz $want\( (commit [0-9a-f]*\(-dirty\)\?)\)\?$" "$D/log" || no "--version: '$(cat "$D/log")', VERSION $want"
"$A" -V | cmp -s - "$D/log" || no "-V differs from --version"
if git rev-parse --git-dir > /dev/null 2>&1; then
    h=$(sed -n 's/.*(commit \([0-9a-f]*\).*/\1/p' "$D/log")
    [ -n "$h" ] && git cat-file -e "$h^{commit}" 2>/dev/null || no "--version in a git checkout names no real commit: $(cat "$D/log")"
fi
check 2 "--version with an argument" "$A" --version extra
# outside a checkout of this project the build has no commit (and still builds)
mkdir -p "$D/outer/tree/tools"
cp tools/commit.sh "$D/outer/tree/tools/"
[ -z "$(sh "$D/outer/tree/tools/commit.sh")" ] || no "tools/commit.sh outside git: $(sh "$D/outer/tree/tools/commit.sh")"
if command -v git > /dev/null; then
    git init -q "$D/outer" && [ -z "$(sh "$D/outer/tree/tools/commit.sh")" ] || no "tools/commit.sh inside another repository names its commit"
fi

# ---- one parser: no command reads argv beside its table (main.c's own
# --version, --help and help are the top level's)
hand=$(grep -nE 'getopt|str(n)?cmp\([^)]*"-' src/cli/*.c | grep -v -e '^src/cli/main.c:' -e '^src/cli/opt.c:')
[ -z "$hand" ] || no "argv parsed by hand beside the table: $hand"

exit $fail
