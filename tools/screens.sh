#!/bin/sh
# screens.sh — makes the screenshots in docs/screens/: every screen of a vote in French, Dutch
# and English at each of the three text sizes and in high contrast, by running the real kiosk
# headless at 1280x800 on the demo election with a scripted voter (its journal is a throw-away
# one). The screens shown before a voter chooses a language (closed, PIN, waiting, welcome) are
# in every language at once: one picture per text size and theme. Pictures are stored as
# 256-colour PNG (ImageMagick), which keeps the theme's colours exact.
#   sh tools/screens.sh [BUILD_DIR]      (default build/release, after tools/dev/demo.sh)
set -eu
cd "$(dirname "$0")/.."
B=${1:-build/release}/bin
OUT=docs/screens
export SDL_VIDEODRIVER=dummy
. tests/lib.sh
make_election "$B" assets/demo "$W"
mkdir -p "$OUT"

shoot() { # lang suffix extra-taps (text size, contrast: chosen on the first screen)
  lang=$1 sfx=$2 extra=$3
  cat > "$W/script" <<S
$extra
shot closed$sfx
key F12
tap pin-2
tap pin-4
shot pin$sfx
tap pin-6
tap pin-8
tap pin-1
tap pin-0
tap pin-ok
tap lang-$lang
tap polls-open
shot official-$lang$sfx
tap official-exit
shot waiting$sfx
key F9
shot enable-$lang$sfx
tap enable-any
shot welcome$sfx
tap lang-$lang
shot district-$lang$sfx
tap district-nord
shot howto-$lang$sfx
tap next
tap choose-R01
tap choose-R02
tap choose-R05
tap choose-R03
tap choose-R08
tap choose-R07
shot ballot-$lang$sfx
tap choose-R04
shot refused-$lang$sfx
tap details-R02
shot detail-$lang$sfx
tap detail-close
tap next
tap choose-N01
tap choose-N03
shot district-ballot-$lang$sfx
tap next
shot review-$lang$sfx
tap next
shot confirm-$lang$sfx
tap dialog-yes
shot done-$lang$sfx
S
  rm -rf "$W/journal.sqlite"*
  "$B/isoloir-kiosk" --demo --windowed --size 1280x800 --package "$W/election.pkg" \
    --authority "$W/auth.pub" --kiosk-key "$W/kiosk.key" --passphrase-file "$W/pp" \
    --journal "$W/journal.sqlite" --script "$W/script" --shots "$W" 2> /dev/null
}
for lang in fr nl en; do
  shoot $lang "" ""
  shoot $lang "-large" "tap larger"
  shoot $lang "-largest" "tap larger
tap larger"
  shoot $lang "-contrast" "tap contrast"
done
# a kiosk that takes voter cards: the code screen, empty and with a mistyped code
printf '\n[kiosk kiosk]\neligibility = token\n' > "$W/token.conf"
cp -r assets/demo "$W/token"
cat "$W/token.conf" >> "$W/token/election.conf"
"$B/isoloir-package" build "$W/token" --authority-key "$W/auth.key" --passphrase-file "$W/pp" \
  --tally-key "$W/tally.pub" --kiosk-keys "$W/kiosks" -o "$W/token.pkg" > /dev/null
for lang in fr nl en; do
  cat > "$W/script" <<S
$OPEN_POLLS
tap lang-$lang
shot token-$lang
type K7QF-3M2A-9C41-X2NB-4
tap token-ok
shot token-refused-$lang
S
  rm -rf "$W/journal.sqlite"*
  "$B/isoloir-kiosk" --demo --windowed --size 1280x800 --package "$W/token.pkg" \
    --authority "$W/auth.pub" --kiosk-key "$W/kiosk.key" --passphrase-file "$W/pp" \
    --journal "$W/journal.sqlite" --script "$W/script" --shots "$W" 2> /dev/null
done
for f in "$OUT"/*.png; do
  case $(basename "$f") in publish-*) ;; *) rm "$f" ;; esac
done
for f in "$W"/*.png; do
  convert "$f" +dither -colors 256 -strip "PNG8:$OUT/$(basename "$f")" # no dates: reproducible
done
echo "screenshots written to $OUT/"
