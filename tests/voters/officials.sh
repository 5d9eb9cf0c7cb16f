#!/bin/sh
# The officials' side through the real kiosk and journal: voters cannot start before the polls
# are open; the keypad opens by F12 or a 3-second press in the top-left corner (not a short
# one); a wrong PIN is refused, the right one opens the menu; opening prints the zero report;
# pausing stops voters and resuming lets them vote; closing asks twice and prints the closing
# report; afterwards nobody can vote and the tally sees a closed, sound journal. F9 does nothing
# on the "recorded" screen; the number of voters enabled is on the status and the reports,
# beside the ballots, with the difference named.
set -eu
BIN=$1 SRC=$2
. "$SRC/tests/lib.sh" # $W (a scratch folder), fail, the headless display
make_election "$BIN" "$SRC/assets/demo" "$W"
mkdir -p "$W/shots" "$W/usb"
cat > "$W/script" <<S
expect closed-fr present
expect lang-fr absent
hold 20 20 1000
expect pin-ok absent
hold 20 20 3100
expect pin-ok present
tap pin-1
tap pin-2
tap pin-3
tap pin-4
tap pin-5
tap pin-6
tap pin-ok
expect pin-message present
expect status-0 absent
tap pin-2
tap pin-4
tap pin-6
tap pin-8
tap pin-1
tap pin-0
tap pin-ok
expect status-0 present
describe official-closed
tap polls-open
describe official-opened
expect polls-pause present
expect enable-sud present
tap official-exit
expect wait-fr present
expect lang-nl absent
expect enable-sud absent
$ENTER_PIN
tap enable-sud
expect wait-fr absent
tap lang-nl
expect district-sud absent
expect next present
tap next
tap choose-R12
tap next
tap next
tap next
tap dialog-yes
expect tracking present
key F9
expect enable-nord absent
expect tracking present
tap next
expect wait-fr present
expect lang-fr absent
key F9
expect enable-nord present
tap enable-any
tap lang-fr
expect district-nord present
tap cancel
tap dialog-yes
expect wait-fr present
key F9
tap enable-cancel
expect wait-fr present
expect lang-fr absent
$ENTER_PIN
tap export
describe official-exported
tap polls-pause
describe official-paused
expect polls-resume present
tap official-exit
expect closed-fr present
expect lang-fr absent
$ENTER_PIN
tap polls-resume
tap polls-close
expect close1 present
tap dialog-yes
expect close2 present
tap dialog-yes
describe official-after-close
expect polls-open absent
expect polls-resume absent
tap official-exit
expect closed-en present
expect lang-en absent
S
"$BIN/isoloir-kiosk" --demo --windowed --size 1280x800 --package "$W/election.pkg" \
  --authority "$W/auth.pub" --kiosk-key "$W/kiosk.key" --passphrase-file "$W/pp" \
  --journal "$W/journal.sqlite" --script "$W/script" --shots "$W/shots" \
  --export-dir "$W/usb" 2> "$W/err" ||
  { cat "$W/err"; fail "the officials' script"; }
grep -q 'status-0 "Scrutin : pas encore ouvert"' "$W/shots/official-closed.txt" || fail "status before opening"
grep -q 'official-message ".*0' "$W/shots/official-opened.txt" || fail "no zero report"
grep -q 'status-0 "Scrutin : clos"' "$W/shots/official-after-close.txt" || fail "not closed"
# one ballot, two voters enabled (the second cancelled): both counts, and the difference named
grep -q 'official-message ".*Électeurs autorisés *2' "$W/shots/official-paused.txt" ||
  { grep official-message "$W/shots/official-paused.txt"; fail "no enables in the pause report"; }
grep -q 'official-message ".*Autorisés sans bulletin *1' "$W/shots/official-paused.txt" ||
  fail "the difference is not named in the pause report"
grep -q 'status-1 "Bulletins : 1    Électeurs autorisés : 2 (1 autorisation sans bulletin)"' \
  "$W/shots/official-after-close.txt" || { grep status-1 "$W/shots/official-after-close.txt"; fail "no enables on the status"; }
"$BIN/tally" verify --package "$W/election.pkg" --authority "$W/auth.pub" --demo \
  "$W/journal.sqlite" > "$W/verify" || { cat "$W/verify"; fail "tally verify"; }
grep -q "polls closed, .*\b1 ballots" "$W/verify" || { cat "$W/verify"; fail "the journal should be closed with 1 ballot"; }
# Two bundles on the "stick": the one at noon (interim, 1 ballot) and the closing one, each
# with the reports saved so far; the tally takes both, the earlier a prefix of the later.
grep -q 'official-message "Export v' "$W/shots/official-exported.txt" ||
  { cat "$W/shots/official-exported.txt"; fail "no export message"; }
# closing with the stick in: the closing bundle is written at once, said under the report
grep -q 'official-message ".*Export v' "$W/shots/official-after-close.txt" ||
  { grep official-message "$W/shots/official-after-close.txt"; fail "no export at close"; }
n=$(ls -d "$W"/usb/isoloir-* | wc -l)
[ "$n" = 2 ] || { ls -la "$W/usb"; fail "expected 2 bundles, found $n"; }
ls "$W"/usb/isoloir-*/ | grep -q "report-zero-" || fail "the zero report is not in the bundle"
ls "$W"/usb/isoloir-*/ | grep -q "report-closing-" || fail "the closing report is not in the bundle"
"$BIN/tally" verify --package "$W/election.pkg" --authority "$W/auth.pub" --demo \
  "$W"/usb/isoloir-* > "$W/verify2" || { cat "$W/verify2"; fail "tally verify of the bundles"; }
echo "1 passed, 0 failed"
