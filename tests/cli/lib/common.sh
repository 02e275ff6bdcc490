# common.sh — what every tests/cli/*.sh script shares; source it first.
# Sets A (the binary under test), D (a scratch folder removed at exit) and
# fail; no MESSAGE records a failure; check CODE WHAT CMD... runs CMD with
# its output in $D/log and records a failure unless it exits with CODE;
# png_size FILE prints "W H" from the PNG's IHDR. End a script with
# `exit $fail`.
A=${ATTNVIZ:-build/san/attnviz}
D=$(mktemp -d /tmp/attnviz-cli.XXXXXX)
trap 'rm -rf "$D"' EXIT
fail=0
no() { echo "FAIL $*"; fail=1; }
check() { # expected-code description command...
    want=$1; what=$2; shift 2
    "$@" >"$D/log" 2>&1
    got=$?
    [ "$got" -eq "$want" ] || { no "$what: exit $got, expected $want"; sed 's/^/    /' "$D/log" | head -5; }
}
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}'; }
