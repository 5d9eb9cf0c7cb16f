#!/bin/sh
# A vote under every rule through the real kiosk and journal (and a long description that
# scrolls by dragging in its detail view): cumulative points (+/−, the
# per-project maximum and the total refused), a ranking (order of taps, removal moves the
# later ranks up) and approval with a minimum; decrypted, the votes are exactly these.
set -eu
BIN=$1 SRC=$2 VOTES=$3
. "$SRC/tests/lib.sh" # $W (a scratch folder), fail, the headless display
make_election "$BIN" "$SRC/tests/voters/rules" "$W"
mkdir -p "$W/shots"
echo "$OPEN_POLLS" > "$W/script"
cat >> "$W/script" <<'S'
key F9
tap enable-any
tap lang-nl
tap district-a
tap next
tap details-P3
describe detail-top
drag 640 600 640 250
describe detail-dragged
tap detail-close
tap plus-P1
tap plus-P1
tap plus-P1
tap plus-P1
expect notice present
tap plus-P2
tap plus-P2
tap plus-P3
expect notice present
tap minus-P2
tap plus-P3
shot points
tap next
tap choose-A3
tap choose-A1
tap choose-A4
expect choose-A2 present
tap choose-A2
expect notice present
tap choose-A1
tap choose-A2
shot rank
tap next
shot review
tap next
tap dialog-yes
tap next
key F9
tap enable-b
tap lang-en
tap next
tap next
tap choose-B3
tap choose-B1
tap next
shot review2
tap next
tap dialog-yes
S
"$BIN/isoloir-kiosk" --demo --windowed --size 1280x800 --package "$W/election.pkg" \
  --authority "$W/auth.pub" --kiosk-key "$W/kiosk.key" --passphrase-file "$W/pp" \
  --journal "$W/journal.sqlite" --script "$W/script" --shots "$W/shots" 2> "$W/kiosk.err" ||
  { cat "$W/kiosk.err"; fail "the kiosk script"; }
"$VOTES" "$W/journal.sqlite" "$W/election.pkg" "$W/auth.pub" "$W/tally.key" "$W/pp" \
  > "$W/got" 2> "$W/codes" || { cat "$W/codes"; fail "the journal does not verify"; }
# a long description scrolls in its detail view when dragged
top=$(sed -n 's/^text detail-description "[^"]*" [0-9]*,\(-*[0-9]*\),.*/\1/p' "$W/shots/detail-top.txt")
dragged=$(sed -n 's/^text detail-description "[^"]*" [0-9]*,\(-*[0-9]*\),.*/\1/p' "$W/shots/detail-dragged.txt")
[ -n "$top" ] && [ -n "$dragged" ] && [ "$dragged" -lt "$top" ] || fail "the description did not scroll ($top, $dragged)"
# points: P1 3, P2 1, P3 1 ; ranking: A3, A4, A2 (A1 removed, later ranks moved up);
# the second voter gives no points and picks B1 and B3.
printf 'vote points:P1,P2,P3=3,1,1 rank:A3,A4,A2\nvote points: pick:B1,B3\n' > "$W/expected"
cmp -s "$W/got" "$W/expected" || { echo "expected:"; cat "$W/expected"; echo "got:"; cat "$W/got"; fail "votes"; }
echo "1 passed, 0 failed"
