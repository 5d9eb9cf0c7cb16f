#!/bin/sh
# receipt.sh — voter receipts and the publication address, through the real kiosk with the fake
# printer (hw/printer's fake backend records every byte the paper would get):
#   - the recorded screen names the address where the list of codes will be published, in the
#     voter's language, with or without a printer;
#   - on a kiosk whose package switches receipts on, "Print a receipt" (by touch or with the
#     keypad) prints the code the journal holds and the address, once; the button then goes;
#   - a kiosk whose package does not switch them on offers none and prints none;
#   - out of paper, the receipt fails, is not retried, the code stays on the screen and the
#     next voter votes as usual;
#   - the next voter never gets the previous voter's receipt: not on their recorded screen, not
#     through the officials' "Reprint", which prints the last polls report only, not after a
#     stop on the recorded screen (the next start shows the code, but offers no receipt).
#   receipt.sh BIN SRC JOURNAL_VOTES
set -eu
BIN=$1 SRC=$2 VOTES=$3
cd "$SRC"
. tests/lib.sh
URL=https://budget.example.org/bxl-demo-2026
# the demo election (its address is $URL) with receipts on, and as it is (receipts off)
make_election "$BIN" assets/demo "$W"
mv "$W/election.pkg" "$W/plain.pkg"
cp -r assets/demo "$W/rc"
sed -i 's|^publication_url = .*|&\nreceipts = yes|' "$W/rc/election.conf"
grep -q '^receipts = yes' "$W/rc/election.conf" || fail "receipts not switched on in the copy"
"$BIN/isoloir-package" build "$W/rc" --authority-key "$W/auth.key" --passphrase-file "$W/pp" \
  --tally-key "$W/tally.pub" --kiosk-keys "$W/kiosks" -o "$W/receipts.pkg" > /dev/null

kiosk() { # NAME PACKAGE extra-options...: runs $W/script on the journal $W/NAME/journal.sqlite
  name=$1 pkg=$2
  shift 2
  mkdir -p "$W/$name"
  "$BIN/isoloir-kiosk" --demo --windowed --size 1280x800 --package "$W/$pkg" \
    --authority "$W/auth.pub" --kiosk-key "$W/kiosk.key" --passphrase-file "$W/pp" \
    --journal "$W/$name/journal.sqlite" --script "$W/script" --shots "$W/$name" "$@" \
    2> "$W/$name/kiosk.err" || { cat "$W/$name/kiosk.err"; fail "the kiosk script ($name)"; }
}
votes() { # NAME PACKAGE: the tracking codes the journal holds, in order, into $W/NAME/codes
  "$VOTES" "$W/$1/journal.sqlite" "$W/$2" "$W/auth.pub" "$W/tally.key" "$W/pp" \
    > "$W/$1/votes" 2> "$W/$1/journal.err" || { cat "$W/$1/journal.err"; fail "$1: the journal does not verify"; }
  sed -n 's/^tracking //p' "$W/$1/journal.err" > "$W/$1/codes"
}
title() { # PROJECT-ID: its French title in the demo's spreadsheet
  awk -F';' -v id="$1" '$1 == id { print $5 }' assets/demo/projects.csv
}
shown() { # FILE: the tracking code on a described recorded screen
  sed -n 's/^text tracking "\([^"]*\)".*/\1/p' "$1"
}
# how often TEXT is on paper: lines joined, since a long address wraps on 58 mm paper
count() { tr -d '\n' < "$2" | grep -a -o -e "$1" | wc -l | tr -d ' '; }

# One voter: language, district nord, two projects, the district ballot, confirm.
vote() { # LANG
  cat <<S
$ENABLE_ANY
tap lang-$1
tap district-nord
tap next
tap choose-R01
tap next
tap choose-N01
tap next
tap next
tap dialog-yes
S
}

# 1. receipts on. The polls are opened first with printing off, so that the paper of the
#    second run holds the voters' receipts alone. Voter 1 (French) prints one; voter 2 (Dutch)
#    declines; an official asks for a reprint; voter 3 (English) prints with the keypad.
echo "$OPEN_POLLS" > "$W/script"
kiosk on receipts.pkg
{
  echo "$ENTER_PIN"
  echo "tap official-exit"
  vote fr
  echo "describe done-1"
  echo "tap receipt"
  echo "describe printed-1"
  echo "tap next"
  echo "describe after-1"
  vote nl
  echo "describe done-2"
  echo "tap next"
  echo "$ENTER_PIN"
  echo "tap reprint"
  echo "describe reprinted"
  echo "tap official-exit"
  vote en
  echo "describe done-3"
  echo "pad-to receipt"
  echo "pad select"
  echo "describe printed-3"
} > "$W/script"
kiosk on receipts.pkg --printer fake --printer-out "$W/on/paper.bin" \
  --speech-transcript "$W/on/said.txt"
votes on receipts.pkg
[ "$(wc -l < "$W/on/codes")" = 3 ] || { cat "$W/on/codes"; fail "three ballots expected in the journal"; }
c1=$(sed -n 1p "$W/on/codes") c2=$(sed -n 2p "$W/on/codes") c3=$(sed -n 3p "$W/on/codes")
[ "$(shown "$W/on/done-1.txt")" = "$c1" ] || fail "voter 1 was shown another code than the journal's"
# the address, in the voter's language, with or without a receipt
grep -q '^text published-at "La liste des codes sera publiée à l.adresse :"' "$W/on/done-1.txt" ||
  fail "the French recorded screen does not say where the codes will be published"
grep -q "^text address \"$URL\"" "$W/on/done-1.txt" || fail "no address on the recorded screen"
grep -q '^text published-at "De lijst van de codes wordt gepubliceerd op:"' "$W/on/done-2.txt" ||
  fail "the Dutch recorded screen does not say where the codes will be published"
grep -q '^text published-at "The list of codes will be published at:"' "$W/on/done-3.txt" ||
  fail "the English recorded screen does not say where the codes will be published"
# the button, then what became of the receipt; it cannot be asked twice
grep -q '^button receipt "Imprimer un reçu"' "$W/on/done-1.txt" || fail "no receipt button"
grep -q '^text receipt-state "Votre reçu est imprimé' "$W/on/printed-1.txt" ||
  { cat "$W/on/printed-1.txt"; fail "the voter is not told the receipt is printed"; }
! grep -q '^button receipt' "$W/on/printed-1.txt" || fail "the receipt can be asked twice"
[ "$(shown "$W/on/printed-1.txt")" = "$c1" ] || fail "the code left the screen after the receipt"
grep -q '^screen 0 ' "$W/on/after-1.txt" || fail "Finish did not end voter 1's visit"
# on paper: voter 1's code, once, with the address and the election's name in French
[ "$(count "$c1" "$W/on/paper.bin")" = 1 ] || fail "voter 1's code ($c1) is not on paper once"
[ "$(count "$URL" "$W/on/paper.bin")" = 2 ] || fail "the address is not on both receipts"
grep -a -q 'Votre code de suivi' "$W/on/paper.bin" || fail "voter 1's receipt is not in French"
# voter 2 declined: no receipt, the code still on their screen
[ "$(shown "$W/on/done-2.txt")" = "$c2" ] || fail "voter 2 does not see their code"
[ "$(count "$c2" "$W/on/paper.bin")" = 0 ] || fail "voter 2 declined and got a receipt"
grep -q '^button receipt "Ontvangstbewijs afdrukken"' "$W/on/done-2.txt" ||
  fail "voter 2 was not offered their own receipt"
# the reprint after the voters left prints no receipt (this run printed no report to reprint)
grep -q '^text official-message "Aucun rapport' "$W/on/reprinted.txt" ||
  { grep official-message "$W/on/reprinted.txt"; fail "the reprint did not say there is no report"; }
# voter 3 with the keypad: an English receipt with their code
[ "$(shown "$W/on/done-3.txt")" = "$c3" ] || fail "voter 3 was shown another code than the journal's"
[ "$(count "$c3" "$W/on/paper.bin")" = 1 ] || fail "voter 3's keypad receipt ($c3) is not on paper"
grep -a -q 'Your tracking code' "$W/on/paper.bin" || fail "voter 3's receipt is not in English"
# a voter who cannot see the screen hears the address, the button and what became of it
for phrase in 'The list of codes will be published at' "$URL" 'Print a receipt' \
  'Your receipt is printed'; do
  grep -q "^en	.*$phrase" "$W/on/said.txt" || { cat "$W/on/said.txt"; fail "never said \"$phrase\""; }
done
[ "$(count "$c1" "$W/on/paper.bin")" = 1 ] || fail "voter 1's receipt was printed again"
# the receipts hold the name, the code and the address: no choice, no kiosk name, no time
for no in R01 N01 "$(title R01)" "$(title N01)" kiosk "$(date +%Y-%m-%d)" "$(date +%d/%m/%Y)" \
  "$(date +%d-%m-%Y)" '[0-2][0-9]:[0-5][0-9]'; do
  [ "$(count "$no" "$W/on/paper.bin")" = 0 ] || fail "a receipt holds \"$no\""
done

# 2. receipts off in the package, a printer attached: no button, nothing printed for voters,
#    the address all the same
{
  echo "$OPEN_POLLS"
  vote fr
  echo "describe done"
} > "$W/script"
kiosk off plain.pkg --printer fake --printer-out "$W/off/paper.bin"
votes off plain.pkg
! grep -q '^button receipt' "$W/off/done.txt" || fail "a receipt offered where the package has none"
grep -q "^text address \"$URL\"" "$W/off/done.txt" || fail "no address without receipts"
[ "$(count "$(cat "$W/off/codes")" "$W/off/paper.bin")" = 0 ] || fail "a receipt printed without the flag"
[ "$(count 'RAPPORT Z' "$W/off/paper.bin")" = 1 ] || fail "the zero report was not printed"
# receipts on but no printer (--printer none): the address, no button
kiosk none receipts.pkg
! grep -q '^button receipt' "$W/none/done.txt" || fail "a receipt offered without a printer"
grep -q "^text address \"$URL\"" "$W/none/done.txt" || fail "no address without a printer"

# 3. out of paper: the receipt fails once, the code stays, the next voter votes
{
  echo "$OPEN_POLLS"
  vote fr
  echo "tap receipt"
  echo "describe failed"
  echo "wait 2000"
  echo "expect receipt absent"
  echo "tap next"
  vote fr
  echo "describe done-2"
} > "$W/script"
kiosk nopaper receipts.pkg --printer fake --printer-fault paper-out --printer-out "$W/nopaper/paper.bin"
votes nopaper receipts.pkg
[ "$(wc -l < "$W/nopaper/codes")" = 2 ] || fail "paper out stopped the next voter"
n1=$(sed -n 1p "$W/nopaper/codes")
grep -q '^text receipt-state "Le reçu n.a pas pu être imprimé' "$W/nopaper/failed.txt" ||
  { cat "$W/nopaper/failed.txt"; fail "a failed receipt is not said"; }
[ "$(shown "$W/nopaper/failed.txt")" = "$n1" ] || fail "the code left the screen after a failed receipt"
! grep -q '^button receipt' "$W/nopaper/failed.txt" || fail "a failed receipt can be asked again"
[ "$(shown "$W/nopaper/done-2.txt")" = "$(sed -n 2p "$W/nopaper/codes")" ] ||
  fail "the next voter did not reach their recorded screen"
grep -q '^button receipt' "$W/nopaper/done-2.txt" || fail "the next voter is not offered a receipt"
[ "$(count "$n1" "$W/nopaper/paper.bin")" = 0 ] || fail "a printer without paper printed a receipt"
[ "$(grep -c 'receipt cannot be printed' "$W/nopaper/kiosk.err")" = 1 ] ||
  { cat "$W/nopaper/kiosk.err"; fail "the failed receipt was tried more than once"; }

# 4. a stop on the recorded screen after a receipt: the next start shows the code again (the
#    journal holds it) but offers no receipt, since one was printed and whoever stands at the
#    kiosk now may not be that voter
{
  echo "$OPEN_POLLS"
  vote fr
  echo "tap receipt"
} > "$W/script"
kiosk stop receipts.pkg --printer fake
echo "describe restarted" > "$W/script"
kiosk stop receipts.pkg --printer fake --printer-out "$W/stop/paper.bin"
votes stop receipts.pkg
grep -q '^screen 6 ' "$W/stop/restarted.txt" || fail "the restart did not show the recorded screen"
[ "$(shown "$W/stop/restarted.txt")" = "$(cat "$W/stop/codes")" ] || fail "the restart shows another code"
! grep -q '^button receipt' "$W/stop/restarted.txt" || fail "a receipt offered again after a restart"
[ "$(count "$(cat "$W/stop/codes")" "$W/stop/paper.bin")" = 0 ] || fail "a receipt printed after a restart"
echo "4 passed, 0 failed"
