#!/bin/sh
# printing.sh — the polls reports on paper, through the real kiosk with the fake printer
# (hw/printer's fake backend records the bytes the paper would get): the zero report, a pause
# slip and a resume slip print as the polls change, "Reprint the last report" prints it again;
# a printer out of paper, or none at all, never stops the polls: the status says so and the
# report can be printed later.
#   printing.sh BIN SRC
set -eu
BIN=$1 SRC=$2
cd "$SRC"
. tests/lib.sh
make_election "$BIN" assets/demo "$W"

kiosk() { # NAME extra-options...: runs $W/script on a fresh journal
  name=$1
  shift
  mkdir -p "$W/$name"
  "$BIN/isoloir-kiosk" --demo --windowed --size 1280x800 --package "$W/election.pkg" \
    --authority "$W/auth.pub" --kiosk-key "$W/kiosk.key" --passphrase-file "$W/pp" \
    --journal "$W/$name/journal.sqlite" --script "$W/script" --shots "$W/$name" "$@" \
    2> "$W/$name/kiosk.err" || { cat "$W/$name/kiosk.err"; fail "the kiosk script ($name)"; }
}
count() { grep -a -c "$1" "$2" || true; }

cat > "$W/script" <<S
$ENTER_PIN
tap lang-fr
tap polls-open
describe opened
tap polls-pause
tap polls-resume
tap reprint
describe reprinted
S

# 1. a printer with paper: every report on paper, the last one twice
kiosk ok --printer fake --printer-out "$W/ok/paper.bin"
[ "$(count 'RAPPORT Z' "$W/ok/paper.bin")" = 1 ] || fail "the zero report was not printed once"
[ "$(count 'RAPPORT DE SUSPENSION' "$W/ok/paper.bin")" = 1 ] || fail "no pause slip"
[ "$(count 'RAPPORT DE REPRISE' "$W/ok/paper.bin")" = 2 ] || fail "the resume slip was not reprinted"
# the printed report carries the report file's facts: the kiosk key's fingerprint
fpr=$(sed -n 's/^text status-4 "Clé de la borne : \([^"]*\)".*/\1/p' "$W/ok/opened.txt")
[ -n "$fpr" ] && grep -a -q "$fpr" "$W/ok/paper.bin" || fail "the kiosk fingerprint ($fpr) is not on paper"
grep -q "^text official-message \"Le dernier rapport s'imprime" "$W/ok/reprinted.txt" ||
  fail "reprint says nothing"
grep -q '^text status-10 "Imprimante : Imprimante prête' "$W/ok/opened.txt" ||
  { grep status-10 "$W/ok/opened.txt"; fail "the printer's state is not on the status"; }
# nothing printed without --printer: scripts default to none, and no reprint is offered
sed '/reprint/d' "$W/script" > "$W/script.none" && cp "$W/script.none" "$W/script"
kiosk none
! grep -q '^button reprint' "$W/none/opened.txt" || fail "a reprint button without a printer"

# 2. out of paper: the polls open all the same, the status says what to do
cat > "$W/script" <<S
$ENTER_PIN
tap lang-fr
tap polls-open
describe opened
tap polls-pause
tap polls-resume
tap reprint
describe reprinted
S
kiosk nopaper --printer fake --printer-fault paper-out --printer-out "$W/nopaper/paper.bin"
grep -q '^screen 7 ' "$W/nopaper/opened.txt" || fail "no officials' menu after opening"
grep -q '^button polls-pause' "$W/nopaper/opened.txt" || fail "the polls did not open without paper"
grep -q '^text status-10 "Imprimante : Plus de papier.*Le dernier rapport n.est pas imprimé' \
  "$W/nopaper/opened.txt" || { grep status-10 "$W/nopaper/opened.txt"; fail "paper out is not said"; }
grep -q '^text official-message "Plus de papier' "$W/nopaper/reprinted.txt" ||
  fail "reprint without paper does not say why"
[ "$(count 'RAPPORT' "$W/nopaper/paper.bin")" = 0 ] || fail "a printer without paper printed"

# 3. no printer plugged in
kiosk absent --printer fake --printer-fault unplugged
grep -q '^button polls-pause' "$W/absent/opened.txt" || fail "the polls did not open without a printer"
grep -q '^text status-10 "Imprimante : Aucune imprimante branchée' "$W/absent/opened.txt" ||
  { grep status-10 "$W/absent/opened.txt"; fail "a missing printer is not said"; }
echo "3 passed, 0 failed"
