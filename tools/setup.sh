#!/bin/sh
# Install the Debian packages attnviz needs that are not there yet.
# Checks with dpkg-query (fast, no network); installs through apt-get, with
# sudo when not root. Runs before `make run` and `make test`.
set -e
PKGS="gcc make pkg-config libcjson-dev libsdl2-dev libsdl2-ttf-dev libcglm-dev
libstb-dev libepoxy-dev libfontconfig-dev libgl1-mesa-dri libegl-mesa0 xvfb xauth
fonts-dejavu-core fonts-nanum libcriterion-dev libxml2-utils python3-torch clang
libclang-rt-14-dev fonts-dejavu-extra libgif-dev"
missing=""
for p in $PKGS; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$st" in *"ok installed"*) ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0
echo "setup: installing$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null || { echo "setup: apt-get update failed" >&2; exit 1; }
$SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null \
    || { echo "setup: could not install:$missing" >&2; exit 1; }
echo "setup: done"
