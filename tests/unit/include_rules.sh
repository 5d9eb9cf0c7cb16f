#!/bin/sh
# include_rules.sh — fails when a source folder includes a header it may not (the table in
# docs/architecture.md, "What each folder may include"). Rules are per folder, not per file,
# so that new files are covered without editing this script.
#
#   sh tests/unit/include_rules.sh SOURCE_DIR
#
# Checked folders: core, hw, kiosk, tally, tools (tools/author counts as tools). For every
# .c and .h file in them:
# - a quoted include must name a project header (found beside the file, or in a folder),
#   and that header's folder must be the file's own or one it may use;
# - an angle include must be a C library or POSIX header, or a header of a library the
#   folder may use. An unknown header fails too: a new library is a design decision, made by
#   adding it to the table in docs/architecture.md and below.
# tests/ and bench/ may include everything and are not checked.
set -eu
SRC=${1:?usage: include_rules.sh SOURCE_DIR}
cd "$SRC"

# Project folders each folder may use (besides itself).
uses() {
  case $1 in
    core) echo "" ;;
    hw) echo "core" ;;
    kiosk) echo "core hw" ;;
    tally) echo "core" ;;
    tools) echo "core hw" ;;
  esac
}

# Libraries (beyond the C library and POSIX) each folder may include directly.
libs() {
  case $1 in
    core) echo "sodium sqlite3 libgfshare" ;;
    hw) echo "sodium libusb libqrencode" ;;
    kiosk) echo "sodium SDL2 SDL2_ttf libpng espeak-ng" ;;
    tally) echo "sodium sqlite3 gmp" ;;
    tools) echo "sodium sqlite3 libpng libjpeg zlib libgfshare libqrencode" ;;
  esac
}

# The library an angle-bracket header belongs to; "libc" for the C library and POSIX;
# "unknown" otherwise.
lib_of() {
  case $1 in
    sodium.h | sodium/*) echo sodium ;;
    sqlite3.h) echo sqlite3 ;;
    SDL.h | SDL2/SDL.h | SDL_*.h | SDL2/SDL_*.h)
      case $1 in
        *SDL_ttf.h) echo SDL2_ttf ;;
        *) echo SDL2 ;;
      esac ;;
    libusb.h | libusb-1.0/libusb.h) echo libusb ;;
    png.h | pngconf.h) echo libpng ;;
    jpeglib.h | jerror.h | jconfig.h | jmorecfg.h) echo libjpeg ;;
    zlib.h) echo zlib ;;
    gmp.h) echo gmp ;;
    espeak-ng/*) echo espeak-ng ;;
    libgfshare.h) echo libgfshare ;;
    qrencode.h) echo libqrencode ;;
    assert.h | complex.h | ctype.h | errno.h | fenv.h | float.h | inttypes.h | iso646.h | \
      limits.h | locale.h | math.h | setjmp.h | signal.h | stdalign.h | stdarg.h | \
      stdatomic.h | stdbool.h | stddef.h | stdint.h | stdio.h | stdlib.h | stdnoreturn.h | \
      string.h | tgmath.h | threads.h | time.h | uchar.h | wchar.h | wctype.h | \
      aio.h | cpio.h | dirent.h | dlfcn.h | fcntl.h | fnmatch.h | ftw.h | glob.h | grp.h | iconv.h | \
      langinfo.h | libgen.h | libintl.h | monetary.h | mqueue.h | ndbm.h | nl_types.h | \
      poll.h | pthread.h | pwd.h | regex.h | sched.h | search.h | semaphore.h | spawn.h | \
      strings.h | syslog.h | tar.h | termios.h | ulimit.h | unistd.h | utime.h | utmpx.h | \
      wordexp.h | mntent.h | sys/*.h | linux/*.h)
      echo libc ;;
    *) echo unknown ;;
  esac
}

folders="core hw kiosk tally tools"
# Which top folder holds a header of this name (one line per place).
where_is() {
  find $folders -name "$1" -type f 2>/dev/null | cut -d/ -f1 | sort -u
}

bad=0
checked=0

for top in $folders; do
  [ -d "$top" ] || continue
  allowed_dirs="$top $(uses "$top")"
  allowed_libs=$(libs "$top")
  for f in $(find "$top" -type f \( -name '*.c' -o -name '*.h' \) | sort); do
    checked=$((checked + 1))
    dir=$(dirname "$f")
    # "#include <x>" or "#include "x"", one per line: kind (< or ") and name
    sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*\([<"]\)\([^>"]*\)[>"].*/\1 \2/p' "$f" |
      while read -r kind name; do
        if [ "$kind" = '"' ]; then
          if [ -f "$dir/$name" ]; then
            real=$(cd "$(dirname "$dir/$name")" && pwd -P)
            here=$(pwd -P)
            owner=${real#"$here"/}
            owner=${owner%%/*}
            places=$owner
          else
            places=$(where_is "$(basename "$name")")
          fi
          if [ -z "$places" ]; then
            echo "$f: includes \"$name\", which is no header of core, hw, kiosk, tally or tools"
            echo x >&3
            continue
          fi
          ok=no
          for p in $places; do
            for a in $allowed_dirs; do
              [ "$p" = "$a" ] && ok=yes
            done
          done
          if [ $ok = no ]; then
            echo "$f: includes \"$name\" from $(echo $places), but $top may use only: $allowed_dirs"
            echo x >&3
          fi
        else
          lib=$(lib_of "$name")
          [ "$lib" = libc ] && continue
          if [ "$lib" = unknown ]; then
            echo "$f: includes <$name>, a header this check does not know: if it is a new library, add it to docs/architecture.md and tests/unit/include_rules.sh"
            echo x >&3
            continue
          fi
          ok=no
          for a in $allowed_libs; do
            [ "$lib" = "$a" ] && ok=yes
          done
          if [ $ok = no ]; then
            echo "$f: includes <$name> ($lib), but $top may use only: ${allowed_libs:-the C library}"
            echo x >&3
          fi
        fi
      done 3>>"${TMPDIR:-/tmp}/include_rules.$$"
  done
done
if [ -s "${TMPDIR:-/tmp}/include_rules.$$" ]; then
  bad=$(wc -l <"${TMPDIR:-/tmp}/include_rules.$$")
fi
rm -f "${TMPDIR:-/tmp}/include_rules.$$"
if [ "$checked" -eq 0 ]; then
  echo "no source file found under $SRC: wrong directory?"
  exit 1
fi
if [ "$bad" -ne 0 ]; then
  echo "$bad include(s) break the folder rules (docs/architecture.md)"
  exit 1
fi
echo "$checked files follow the folder rules"
