#!/bin/sh
# The layering of src/ (tools/check-includes.sh): the engine includes only
# itself and the base, viz includes no GL, and no include runs upward.
exec "$(dirname "$0")/../../tools/check-includes.sh"
