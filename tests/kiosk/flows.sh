#!/bin/sh
# The resident's flows, driven by scripts through the kiosk's screens (ui_driver records the
# cast votes instead of a journal): a full vote in French, a vote in Dutch by keyboard only,
# a language switch that keeps choices, an idle timeout that erases everything, every screen
# and every project's details at several sizes without overflow, and 100 scripted voters whose
# votes must be exactly the ones their taps meant.
set -eu
BIN=$1 SRC=$2 DRIVER=$3
export SDL_VIDEODRIVER=dummy   # software framebuffer; offscreen would load Mesa
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
pass=0
ok() { pass=$((pass + 1)); }

echo isoloir-demo > "$W/pp"
mkdir -p "$W/kiosks" "$W/shots"
"$BIN/isoloir-keys" new authority "$W/auth" --demo --passphrase-file "$W/pp" > /dev/null
"$BIN/isoloir-keys" new tally "$W/tally" --demo --passphrase-file "$W/pp" > /dev/null
"$BIN/isoloir-keys" new kiosk "$W/kiosks/k1" --demo --passphrase-file "$W/pp" > /dev/null
"$BIN/isoloir-package" build "$SRC/assets/demo" --authority-key "$W/auth.key" \
  --passphrase-file "$W/pp" --tally-key "$W/tally.pub" --kiosk-keys "$W/kiosks" \
  -o "$W/demo.pkg" > /dev/null
run() { # script [size] -> votes on stdout
  "$DRIVER" "$W/demo.pkg" "$W/auth.pub" "$1" "$W/shots" ${2:-}
}

# 1. A full vote in French, with refusals on the way.
cat > "$W/fr.txt" <<'S'
tap lang-fr
tap district-nord
tap next
tap choose-R01
tap choose-R02
tap choose-R03
tap choose-R05
tap choose-R08
tap choose-R07
tap choose-R04
shot refused
expect notice present
expect choose-R04 unselected
tap next
tap choose-N01
tap choose-N02
tap choose-N03
tap choose-N04
expect choose-N04 unselected
tap next
expect total-city present
tap next
tap dialog-yes
shot done
expect tracking present
S
out=$(run "$W/fr.txt")
[ "$out" = "vote city:R01,R02,R03,R05,R07,R08 nord:N01,N02,N03" ] || fail "French vote: $out"
grep -q 'Ce projet ne rentre pas : il manque 75' "$W/shots/refused.txt" || fail "no budget refusal"
grep -q 'text recorded "Votre vote est enregistré' "$W/shots/done.txt" || fail "no recorded screen"
ok

# 2. Dutch, keyboard only (Tab order: top bar, then the screen's content).
cat > "$W/nl.txt" <<'S'
key Tab
expect contrast focused
key Tab
key Tab
key Tab
expect lang-nl focused
key Return
expect district-sud present
key Shift+Tab
expect back focused
key Shift+Tab
expect district-none focused
key Shift+Tab
expect district-sud focused
key Return
key Shift+Tab
expect next focused
key Return
expect card-R12 present
key Escape
expect howto-city present
key Shift+Tab
expect next focused
key Return
key PageDown
key Shift+Tab
key Shift+Tab
key Shift+Tab
expect choose-R12 focused
key Return
expect card-R12 selected
key Tab
expect back focused
key Tab
expect next focused
key Return
expect card-S01 present
key Shift+Tab
expect next focused
key Return
expect review-city present
key Shift+Tab
expect next focused
key Return
key Shift+Tab
expect dialog-yes focused
key Return
shot keyboard-done
expect tracking present
S
out=$(run "$W/nl.txt")
[ "$out" = "vote city:R12 sud:" ] || fail "keyboard vote: $out"
ok

# 3. Switching language keeps every choice.
cat > "$W/switch.txt" <<'S'
tap lang-fr
tap district-none
tap next
tap choose-R12
tap lang-nl
expect card-R12 selected
tap lang-en
expect card-R12 selected
shot switched-en
S
out=$(run "$W/switch.txt")
[ -z "$out" ] || fail "nothing should be cast: $out"
ok

# 4. Idle: a warning, then everything erased; nothing cast.
cat > "$W/idle.txt" <<'S'
tap lang-en
tap district-centre
tap next
tap choose-R12
wait 91000
expect idle-continue present
tap idle-continue
expect card-R12 selected
wait 91000
wait 31000
expect prompt-fr present
expect card-R12 absent
tap lang-en
tap district-centre
tap next
expect card-R12 unselected
S
out=$(run "$W/idle.txt")
[ -z "$out" ] || fail "an abandoned vote was cast: $out"
ok

# 5. Every screen, every project's details, at several sizes and accessibility settings.
{
  echo "tap lang-nl"; echo "tap larger"; echo "tap district-centre"; echo "shot l-howto"
  echo "tap next"; echo "shot l-city"
  for id in R01 R02 R03 R04 R05 R06 R07 R08 R09 R10 R11 R12; do
    echo "tap details-$id"; echo "shot l-detail-$id"; echo "tap detail-close"
  done
  echo "tap contrast"; echo "tap next"; echo "shot l-centre"
  for id in C01 C02 C03 C04 C05; do echo "tap details-$id"; echo "shot l-detail-$id"; echo "tap detail-close"; done
  echo "tap next"; echo "shot l-review"; echo "tap next"; echo "shot l-confirm"
} > "$W/layout.txt"
for size in 800x480 1280x800 1920x1080 1080x1920; do
  rm -f "$W/shots"/l-*
  run "$W/layout.txt" "$size" > /dev/null || fail "layout script at $size"
  if grep -l OVERFLOW "$W/shots"/l-*.txt; then fail "text overflows at $size"; fi
done
ok

# 6. 100 voters: each taps a random valid choice; the votes are exactly those.
: > "$W/many.txt"
: > "$W/expected"
seed=7
rnd() { seed=$(( (seed * 1103515245 + 12345) % 2147483648 )); echo $(( seed / 65536 % $1 )); }
districts="nord centre sud"
for v in $(seq 1 100); do
  d=$(echo $districts | cut -d' ' -f$(( $(rnd 3) + 1 )))
  prefix=$(echo "$d" | cut -c1 | tr 'a-z' 'A-Z')
  echo "tap lang-fr" >> "$W/many.txt"
  echo "tap district-$d" >> "$W/many.txt"
  echo "tap next" >> "$W/many.txt"
  city=""
  for id in R04 R06 R09 R11 R12; do      # 283 000 euro in all: always within the budget
    if [ "$(rnd 2)" = 1 ]; then echo "tap choose-$id" >> "$W/many.txt"; city="$city,$id"; fi
  done
  echo "tap next" >> "$W/many.txt"
  local_=""
  n=0
  for k in 1 2 3 4 5; do
    if [ $n -lt 3 ] && [ "$(rnd 2)" = 1 ]; then
      echo "tap choose-${prefix}0$k" >> "$W/many.txt"; local_="$local_,${prefix}0$k"; n=$((n + 1))
    fi
  done
  printf 'tap next\ntap next\ntap dialog-yes\ntap next\n' >> "$W/many.txt"
  echo "vote city:${city#,} $d:${local_#,}" >> "$W/expected"
done
run "$W/many.txt" > "$W/got" || fail "100 voters script"
cmp -s "$W/got" "$W/expected" || { diff "$W/expected" "$W/got" | head; fail "100 voters"; }
ok
echo "$pass passed, 0 failed"
