#!/bin/sh
# The real kiosk, headless, through every project of the demo election (card, details, review)
# in each language, at the smallest, a wide and the portrait size, at each text size once: no
# text wider than its box (the kiosk writes OVERFLOW in a screen description otherwise). Also
# kiosk mode: keys that would close or leave a program do nothing. Every screen at every size
# and text size is checked for overlap and clipping, faster, by tests/kiosk/test_layout.c.
set -eu
BIN=$1 SRC=$2
. "$SRC/tests/lib.sh" # $W (a scratch folder), fail, the headless display
make_election "$BIN" "$SRC/assets/demo" "$W"
mkdir -p "$W/shots"
ids() { # the project ids of a district ("" = citywide), from the demo spreadsheet
  tail -n +2 "$SRC/assets/demo/projects.csv" | grep -E "^[A-Z][0-9]+;$1;" | cut -d';' -f1
}
n=0
for run in fr:nord:0 nl:centre:1 en:sud:2; do # language, district, A+ taps (text size)
  lang=${run%%:*} rest=${run#*:}
  d=${rest%%:*} steps=${rest#*:}
  {
    echo "$OPEN_POLLS"
    echo "$ENABLE_ANY"
    echo "tap lang-$lang"
    i=0
    while [ $i -lt "$steps" ]; do echo "tap larger"; i=$((i + 1)); done
    echo "tap district-$d"
    echo "key q"
    echo "key F4"
    echo "expect next present"
    echo "tap next"
    echo "describe city"
    for id in $(ids ""); do echo "tap details-$id"; echo "describe d-$id"; echo "tap detail-close"; done
    echo "tap next"
    echo "describe local"
    for id in $(ids "$d"); do echo "tap details-$id"; echo "describe d-$id"; echo "tap detail-close"; done
    echo "tap next"
    echo "describe review"
  } > "$W/script"
  for size in 800x480 1920x1080 1080x1920; do
    rm -rf "$W/shots"/* "$W/journal.sqlite"*
    "$BIN/isoloir-kiosk" --demo --windowed --size "$size" --package "$W/election.pkg" \
      --authority "$W/auth.pub" --kiosk-key "$W/kiosk.key" --passphrase-file "$W/pp" \
      --journal "$W/journal.sqlite" --script "$W/script" --shots "$W/shots" 2> "$W/err" ||
      { cat "$W/err"; fail "$lang $d $size text size $steps"; }
    if grep -l OVERFLOW "$W/shots"/*.txt; then fail "overflow: $lang $d $size text size $steps"; fi
    n=$((n + $(ls "$W/shots"/*.txt | wc -l)))
  done
done
echo "$n screens laid out without overflow"
echo "1 passed, 0 failed"
