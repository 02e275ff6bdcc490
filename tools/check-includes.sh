#!/bin/sh
# check-includes.sh — the layering of src/, checked on every #include line.
#
# Each folder may include its own headers and those of the folders below it,
# and only the outside libraries its job needs:
#   base    C and POSIX only                   (below everything)
#   engine  base; cJSON                        (nothing outside src/engine and src/base)
#   tasks   engine, base
#   text    base; SDL2, SDL2_ttf, fontconfig   (never viz)
#   gfx     text, base; OpenGL (epoxy), cglm   (the only folder that includes GL)
#   export  engine, base; SDL2_ttf, cJSON, stb, giflib (never viz)
#   lesson  base; lesson_check.c also engine   (the parser never sees the engine;
#           lesson_train.c also tasks/lab.h for lab_parse alone: a lab slide's
#           lab: value is `attnviz learn --lab`'s, one grammar, checked at parse time)
#   viz     lesson, engine, base               (no GL, no SDL: draw lists only)
#   cli     export, tasks, text, engine, base; cmd_view.c, cmd_learn.c and cmd_lab.c also app (they open the window or render offscreen)
#   app     everything but cli and GL          (the modes and the window)
# Prints every violation as FILE:LINE: what, and exits 1 if there is one.
cd "$(dirname "$0")/.." || exit 2
SRC=${1:-src}
bad=0
for f in $(find "$SRC" -name '*.[ch]' | sort); do
    rel=${f#"$SRC"/}
    dir=${rel%%/*}
    name=${rel##*/}
    case $dir in
        base)   inside="base";                                 outside='' ;;
        engine) inside="engine base";                          outside='^cjson/|^cJSON' ;;
        tasks)  inside="tasks engine base";                    outside='' ;;
        text)   inside="text base";                            outside='^SDL|^fontconfig/' ;;
        gfx)    inside="gfx text base";                        outside='^SDL|^epoxy/|^GL/|^cglm/' ;;
        export) inside="export engine base";                   outside='^SDL|^cjson/|^cJSON|^stb_|^gif_lib' ;;
        lesson) inside="lesson base";                          outside='' ;;
        viz)    inside="viz lesson engine base";               outside='' ;;
        cli)    inside="cli export tasks text engine base";    outside='' ;;
        app)    inside="app viz gfx text export lesson tasks engine base"; outside='^SDL|^stb_' ;;
        *)      echo "$f: a folder the layering does not know: add it to tools/check-includes.sh"; bad=1; continue ;;
    esac
    [ "$rel" = lesson/lesson_check.c ] && inside="$inside engine"
    [ "$rel" = lesson/lesson_train.c ] && inside="$inside tasks"
    [ "$rel" = cli/cmd_view.c ] && inside="$inside app"
    [ "$rel" = cli/cmd_lab.c ] && inside="$inside app"
    [ "$rel" = cli/cmd_learn.c ] && inside="$inside app"
    # every #include with its line number: N<TAB>"x" or N<TAB><x>
    grep -n '^[[:space:]]*#[[:space:]]*include' "$f" |
        sed 's/^\([0-9]*\):[[:space:]]*#[[:space:]]*include[[:space:]]*\([<"][^>"]*[>"]\).*/\1	\2/' > "${TMPDIR:-/tmp}/inc.$$"
    while IFS='	' read -r line inc; do
        case $inc in
            \"*)
                path=${inc#\"}; path=${path%\"}
                case $path in
                    ../*/*) to=${path#../}; to=${to%%/*} ;;
                    */*)    to="?" ;;
                    *)      to=$dir ;;
                esac
                ok=0
                for d in $inside; do [ "$d" = "$to" ] && ok=1; done
                [ $ok = 1 ] || { echo "$f:$line: $dir/ may not include $path (it may include: $inside)"; bad=1; } ;;
            \<*)
                h=${inc#<}; h=${h%>}
                case $h in   # C, POSIX and Linux system headers are fine everywhere
                    SDL*|epoxy/*|GL/*|GLES*|cglm/*|fontconfig/*|cjson/*|cJSON*|stb_*|ft2build*|freetype/*|gif_lib*)
                        if [ -z "$outside" ] || ! echo "$h" | grep -Eq "$outside"; then
                            echo "$f:$line: $dir/ may not include <$h>"; bad=1
                        fi ;;
                esac ;;
        esac
    done < "${TMPDIR:-/tmp}/inc.$$"
    rm -f "${TMPDIR:-/tmp}/inc.$$"
done
[ $bad = 0 ] && echo "check-includes: the layering holds"
exit $bad
