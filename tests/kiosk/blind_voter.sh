#!/bin/sh
# blind_voter.sh — a voter who cannot see the screen votes alone with the tactile keypad and
# the spoken guidance, in French, Dutch and English: on the demo election (a citywide knapsack
# ballot and a district approval ballot) each voter moves with key 2, chooses with 5, goes on
# with 6, and never touches the screen. The kiosk's speech transcript (a demo-only option) must
# hold, in the voter's language, the screens' texts, each project chosen with its title and
# cost, the word for "selected", the budget left, the review and the tracking code that the
# journal holds; the journal must hold exactly the choices made.
#   blind_voter.sh BIN SRC JOURNAL_VOTES
# With TRANSCRIPTS=DIR set, each language's transcript is kept as DIR/said-LANG.txt (the ones
# quoted in docs/accessibility.md).
set -eu
BIN=$1 SRC=$2 VOTES=$3
cd "$SRC"
. tests/lib.sh
make_election "$BIN" assets/demo "$W"
mkdir -p "$W/shots"

# What each language must say: the catalogue's own words (kiosk/catalog.c), and the titles of
# the projects chosen, from the demo's spreadsheet (title columns 5, 6, 7: fr, nl, en).
said_fr='Dans quel quartier habitez-vous ?|sélectionné|Il reste|Vérifiez votre vote|Votre vote est enregistré|Touches 8 et 2 pour parcourir|Aide du clavier'
said_nl='In welke wijk woont u?|gekozen|over|Kijk uw stem na|Uw stem is geregistreerd|Toetsen 8 en 2 om te bladeren|Hulp bij het toetsenbord'
said_en='Which district do you live in?|selected|left|Check your vote|Your vote is recorded|Keys 8 and 2 to move|Keypad help'
title() { # project-id column
  awk -F';' -v id="$1" -v c="$2" '$1 == id { print $c }' assets/demo/projects.csv
}

n=0
for lang in fr nl en; do
  n=$((n + 1))
  rm -f "$W/said.txt"
  open=""
  # the polls stay open across the kiosk's restarts; an official unlocks the menu to enable
  if [ "$n" -gt 1 ]; then open="$ENTER_PIN
tap official-exit"; else open=$OPEN_POLLS; fi
  cat > "$W/script" <<S
$open
$ENABLE_ANY
pad-to lang-$lang
pad select
pad-to district-nord
pad select
pad right
pad-to choose-R01
pad select
pad-to choose-R03
pad select
pad help
pad right
pad-to choose-N02
pad select
pad right
pad right
pad-to dialog-yes
pad select
describe done-$lang
pad right
S
  "$BIN/isoloir-kiosk" --demo --windowed --size 1280x800 --package "$W/election.pkg" \
    --authority "$W/auth.pub" --kiosk-key "$W/kiosk.key" --passphrase-file "$W/pp" \
    --journal "$W/journal.sqlite" --script "$W/script" --shots "$W/shots" \
    --speech-transcript "$W/said.txt" 2> "$W/kiosk.err" ||
    { cat "$W/kiosk.err"; fail "the kiosk script ($lang)"; }
  grep -q '^screen 6 ' "$W/shots/done-$lang.txt" || fail "$lang: the vote did not reach the recorded screen"
  eval "want=\$said_$lang"
  col=$((n + 4))
  want="$want|$(title R01 $col)|$(title R03 $col)|$(title N02 $col)"
  echo "$want" | tr '|' '\n' | while IFS= read -r phrase; do
    grep -q "^$lang	.*$phrase" "$W/said.txt" ||
      { cat "$W/said.txt"; fail "$lang: never said \"$phrase\""; }
  done
  [ -z "${TRANSCRIPTS:-}" ] || cp "$W/said.txt" "$TRANSCRIPTS/said-$lang.txt"
  # the tracking code the voter heard is the one the journal holds
  code=$(sed -n 's/^text tracking "\([^"]*\)".*/\1/p' "$W/shots/done-$lang.txt")
  [ -n "$code" ] || { cat "$W/shots/done-$lang.txt"; fail "$lang: no tracking code on the screen"; }
  spelled=$(echo "$code" | sed 's/./& /g; s/ - /, /g; s/ $//')
  grep -q "^$lang	.*$spelled" "$W/said.txt" ||
    fail "$lang: the tracking code $code was not said ($spelled)"
  # once the voter has reached their language's button, every sentence is in that language
  # (before, the welcome screen speaks the kiosk's first language, and after the recorded screen
  # the next voter's welcome does; a language button always says its own name in its own
  # language)
  name=$(case $lang in fr) echo Français ;; nl) echo Nederlands ;; en) echo English ;; esac)
  other=$(sed -n "/^$lang	$name\$/,/$spelled/p" "$W/said.txt" | grep -v "^$lang	" |
          grep -v -E '^(fr	Français|nl	Nederlands|en	English)$' || true)
  [ -z "$other" ] || { echo "$other"; fail "$lang: sentences in another language"; }
  # the officials' PIN and menus are never spoken
  ! grep -q -e '••' -e '246810' "$W/said.txt" || fail "$lang: the PIN keypad was read out"
done

"$VOTES" "$W/journal.sqlite" "$W/election.pkg" "$W/auth.pub" "$W/tally.key" "$W/pp" \
  > "$W/got" 2> "$W/codes" || { cat "$W/codes"; fail "the journal does not verify"; }
printf 'vote city:R01,R03 nord:N02\nvote city:R01,R03 nord:N02\nvote city:R01,R03 nord:N02\n' > "$W/expected"
cmp -s "$W/got" "$W/expected" || { echo "expected:"; cat "$W/expected"; echo "got:"; cat "$W/got"; fail "votes"; }
echo "$n passed, 0 failed"
