#!/bin/sh
# words.sh — what the voter reads says exactly what is true: proper plurals ("2 bulletins", never
# "bulletin(s)"), a review that names money left that could still fund a project, and an idle
# warning whose seconds count down; a minimum stated on the ballot, and Next that waits with
# the reason shown (never a silent button); a ranking reviewed as ranked, not chosen; the
# officials' enable hint in plain words; the welcome screen in every language. And in every text of the catalogue (po/*.po): no
# bracketed plural, one name for the device in each language (borne, zuil, kiosk).
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
describe welcome
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
# before a language is chosen, every word on the screen is in the three languages
for t in 'demo-text "DÉMONSTRATION — ce vote ne compte pas / DEMONSTRATIE — deze stem telt niet / DEMONSTRATION' \
  'larger "A+ Texte / A+ Tekst / A+ Text"' 'contrast "Contraste / Contrast"'; do
  grep -q -F "$t" "$W/shots/welcome.txt" || { grep -e demo-text -e larger -e contrast "$W/shots/welcome.txt"; fail "the welcome screen is not in every language: $t"; }
done
grep -q 'howto-ballots "Vous remplirez 2 bulletins,' "$W/shots/howto.txt" ||
  { grep howto-ballots "$W/shots/howto.txt"; fail "the number of ballots"; }
# 1,500,000 budget, 380,000 chosen: 1,120,000 left, enough for the cheapest project left
grep -q "^text note-[a-z]* \"Il vous reste 1.*120.*000.* : assez pour un projet que vous n'avez pas choisi" \
  "$W/shots/review.txt" || { grep "^text note-" "$W/shots/review.txt"; fail "the money left is not named"; }
grep -q 'idle-body ".* 30 secondes' "$W/shots/idle-30.txt" || fail "the idle warning starts at 30 s"
grep -q 'idle-body ".* 20 secondes' "$W/shots/idle-20.txt" ||
  { grep idle-body "$W/shots/idle-20.txt"; fail "the idle warning does not count down"; }

# The rules test election: a ranking ballot of district A needs at least one project.
mkdir -p "$W/rules/shots"
make_election "$BIN" tests/voters/rules "$W/rules"
cat > "$W/rules/script" <<S
$ENTER_PIN
tap polls-open
describe officials
tap official-exit
$ENABLE_ANY
tap lang-fr
tap district-a
tap next
describe points-five
tap plus-P1
tap plus-P1
tap plus-P3
tap plus-P3
describe points-one
tap next
describe rank-empty
tap next
describe rank-still
tap choose-A3
describe rank-one
tap next
describe rank-review
S
"$BIN/isoloir-kiosk" --demo --windowed --size 1280x800 --package "$W/rules/election.pkg" \
  --authority "$W/rules/auth.pub" --kiosk-key "$W/rules/kiosk.key" --passphrase-file "$W/rules/pp" \
  --journal "$W/rules/journal.sqlite" --script "$W/rules/script" --shots "$W/rules/shots" \
  2> "$W/kiosk.err" || { cat "$W/kiosk.err"; fail "the kiosk script (rules)"; }
S=$W/rules/shots
grep -q '^text feedback "5 points restants"' "$S/points-five.txt" ||
  { grep '^text feedback' "$S/points-five.txt"; fail "five points left are not plural"; }
grep -q '^text feedback "1 point restant"' "$S/points-one.txt" ||
  { grep '^text feedback' "$S/points-one.txt"; fail "one point left is not singular"; }
grep -q '^text rule "Classez entre 1 et 3 projets' "$S/rank-empty.txt" ||
  { grep '^text rule' "$S/rank-empty.txt"; fail "the minimum is not stated"; }
grep -q '^text why-next "Pour continuer, classez encore au moins 1 projet."' "$S/rank-empty.txt" ||
  fail "no reason beside a Next that waits"
grep -q '^button next ".*disabled' "$S/rank-empty.txt" || fail "Next is not disabled below the minimum"
grep -q '^text title "Classement (2/2)"' "$S/rank-still.txt" || fail "Next left a ballot below its minimum"
! grep -q '^text why-next' "$S/rank-one.txt" || fail "a reason stays once the minimum is met"
! grep -q '^button next ".*disabled' "$S/rank-one.txt" || fail "Next stays disabled once the minimum is met"
grep -q "^text note-rank \"Vous avez classé 1 projet ; vous pouvez en classer jusqu'à 3.\"" \
  "$S/rank-review.txt" || { grep '^text note-' "$S/rank-review.txt"; fail "the ranking is not reviewed as ranked"; }
grep -q '^text enable-hint "Chaque autorisation permet à un électeur de voter une fois. ' \
  "$S/officials.txt" || { grep enable-hint "$S/officials.txt"; fail "the enable hint"; }

# Every text of the catalogue, one language at a time (msgstr lines, unwrapped).
for l in fr nl en; do
  msgcat --no-wrap "$SRC/po/$l.po" | sed -n 's/^msgstr\(\[[0-9]\]\)\{0,1\} "\(.*\)"$/\2/p' > "$W/$l.txt"
  [ -s "$W/$l.txt" ] || fail "no texts read from po/$l.po"
done
! grep -n '(s)\|(en)\|(ten)' "$W/fr.txt" "$W/nl.txt" "$W/en.txt" ||
  fail "a bracketed plural in the catalogue"
! grep -n -i 'kiosque\|terminal' "$W/fr.txt" || fail "French calls the device something else than borne"
! grep -n -i 'kiosk' "$W/nl.txt" || fail "Dutch calls the device something else than zuil"
! grep -n -i 'terminal\|voting machine' "$W/en.txt" || fail "English calls the device something else than kiosk"
! grep -n -i 'overheid' "$W/nl.txt" || fail "Dutch names the authority Overheid, not instantie"
echo "3 passed, 0 failed"
