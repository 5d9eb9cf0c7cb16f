#!/bin/sh
# words.sh — what the voter reads says exactly what is true: proper plurals ("2 bulletins", never
# "bulletin(s)"), a review that names money left that could still fund a project, and an idle
# warning whose seconds count down.
#   words.sh BIN SRC
set -eu
BIN=$1 SRC=$2
cd "$SRC"
. tests/lib.sh
make_election "$BIN" assets/demo "$W"
mkdir -p "$W/shots"
cat > "$W/script" <<S
$OPEN_POLLS
$ENABLE_ANY
tap lang-fr
tap district-nord
describe howto
tap next
tap choose-R01
tap next
tap next
describe review
wait 90000
describe idle-30
wait 10000
describe idle-20
S
"$BIN/isoloir-kiosk" --demo --windowed --size 1280x800 --package "$W/election.pkg" \
  --authority "$W/auth.pub" --kiosk-key "$W/kiosk.key" --passphrase-file "$W/pp" \
  --journal "$W/journal.sqlite" --script "$W/script" --shots "$W/shots" 2> "$W/kiosk.err" ||
  { cat "$W/kiosk.err"; fail "the kiosk script"; }
! grep -q '(s)\|(en)\|(ten)' "$W/shots/"*.txt || { grep '(s)\|(en)\|(ten)' "$W/shots/"*.txt; fail "a bracketed plural"; }
grep -q 'howto-ballots "Vous remplirez 2 bulletins,' "$W/shots/howto.txt" ||
  { grep howto-ballots "$W/shots/howto.txt"; fail "the number of ballots"; }
# 1,500,000 budget, 380,000 chosen: 1,120,000 left, enough for the cheapest project left
grep -q "^text note-[a-z]* \"Il vous reste 1.*120.*000.* : assez pour un projet que vous n'avez pas choisi" \
  "$W/shots/review.txt" || { grep "^text note-" "$W/shots/review.txt"; fail "the money left is not named"; }
grep -q 'idle-body ".* 30 secondes' "$W/shots/idle-30.txt" || fail "the idle warning starts at 30 s"
grep -q 'idle-body ".* 20 secondes' "$W/shots/idle-20.txt" ||
  { grep idle-body "$W/shots/idle-20.txt"; fail "the idle warning does not count down"; }
echo "1 passed, 0 failed"
