#!/bin/sh
# Run a command with an X display: the current one if set, else a private
# Xvfb (24-bit screen, as Mesa's llvmpipe wants) that is stopped afterwards.
if [ -n "$DISPLAY" ]; then
    exec "$@"
fi
n=99
while [ -e /tmp/.X$n-lock ] || [ -e /tmp/.X11-unix/X$n ]; do n=$((n + 1)); done
Xvfb :$n -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xpid=$!
i=0
while [ ! -e /tmp/.X11-unix/X$n ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
DISPLAY=:$n LIBGL_ALWAYS_SOFTWARE=1 "$@"
rc=$?
kill $xpid 2>/dev/null
wait $xpid 2>/dev/null
exit $rc
