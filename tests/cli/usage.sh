#!/bin/sh
# The command line's contract: --help everywhere exits 0, an unknown command
# or option exits 2, a user error (missing file) exits 1 with one line.
. "$(dirname "$0")/lib/common.sh"
check 0 "attnviz --help" "$A" --help
check 2 "unknown command" "$A" frobnicate
for c in decode train eval data export info view; do
    check 0 "$c --help" "$A" $c --help
    check 2 "$c with an unknown option" "$A" $c --no-such-option
done
check 1 "decode with a missing model" "$A" decode --model /nonexistent.safetensors --input abc
check 1 "info with a missing model" "$A" info --model /nonexistent.safetensors
# the message names the file
"$A" info --model /nonexistent.safetensors 2>&1 | grep -q "/nonexistent.safetensors" || { echo "FAIL: error does not name the file"; fail=1; }
exit $fail
