#!/bin/sh
# blind_voter.sh — a voter who cannot see the screen votes alone with the tactile keypad and
# the spoken guidance, under every ballot rule, in French, Dutch and English. They never touch
# the screen: the welcome screen says, in each language's own voice, which key chooses it; then
# key 2 moves, 5 chooses, 8 moves back, 6 goes on.
#
# Three elections, all the demo's projects: the demo itself (a region-wide knapsack ballot and
# a district approval ballot), and two copies made here with the other rules: A (region-wide
# cumulative, district ranking) and B (region-wide ranking, district cumulative). Each language
# votes on the demo and on A (Dutch on B), in district North.
#
# The kiosk's speech transcript (a demo-only option) must hold the welcome in three voices,
# then, in the voter's language only: the catalogue's words for the screens (kiosk/catalog.c),
# each project chosen by its title (from the demo's spreadsheet), every point given or taken
# back ("2 points pour « … »") and every rank ("« … », rang 1"), the tracking code the
# journal holds; and never the PIN. The journals must hold exactly the choices made.
#   blind_voter.sh BIN SRC JOURNAL_VOTES
# With TRANSCRIPTS=DIR set, each language's transcripts are kept as DIR/said-LANG-ELECTION.txt
# (those quoted in docs/accessibility.md).
set -eu
BIN=$1 SRC=$2 VOTES=$3
cd "$SRC"
. tests/lib.sh

# A copy of the demo with the region-wide and the North ballots under other rules.
derive() { # FOLDER CITY-RULE NORD-RULE (a rule's lines, \n between them)
  mkdir -p "$1"
  cp -R assets/demo/. "$1/"
  awk -v city="$2" -v nord="$3" '
    /^\[/ { sec = $0 }
    sec == "[ballot city]" && /^rule = / { print city; next }
    sec == "[ballot nord]" && /^(min|max) = / { next }
    sec == "[ballot nord]" && /^rule = / { print nord; next }
    (sec == "[ballot city]" || sec == "[ballot nord]") && /^method = / { print "method = greedy"; next }
    { print }' assets/demo/election.conf > "$1/election.conf"
}
cumulative='rule = cumulative\npoints = 5\nmax_per_project = 3'
ranking='rule = ranking\nmin = 1\nmax = 3'
derive "$W/src-a" "$cumulative" "$ranking"
derive "$W/src-b" "$ranking" "$cumulative"
for e in demo a b; do
  src=assets/demo
  [ "$e" = demo ] || src="$W/src-$e"
  make_election "$BIN" "$src" "$W/$e"
  mkdir -p "$W/$e/shots"
done

title() { # PROJECT-ID LANG: the project's title in the demo's spreadsheet (columns 5, 6, 7)
  awk -F';' -v id="$1" -v c="$(case $2 in fr) echo 5 ;; nl) echo 6 ;; en) echo 7 ;; esac)" \
    '$1 == id { print $c }' assets/demo/projects.csv
}
points() { # N PROJECT LANG: "2 points pour « … »" as the catalogue says it
  t=$(title "$2" "$3")
  case $3 in
  fr) [ "$1" -gt 1 ] && echo "$1 points pour « $t »" || echo "$1 point pour « $t »" ;;
  nl) [ "$1" -eq 1 ] && echo "$1 punt voor “$t”" || echo "$1 punten voor “$t”" ;;
  en) [ "$1" -eq 1 ] && echo "$1 point on “$t”" || echo "$1 points on “$t”" ;;
  esac
}
rank() { # N PROJECT LANG (N 0: taken out of the ranking)
  t=$(title "$2" "$3")
  case $3 in
  fr) [ "$1" -gt 0 ] && echo "« $t », rang $1" || echo "« $t » n'est plus classé" ;;
  nl) [ "$1" -gt 0 ] && echo "“$t”, plaats $1" || echo "“$t” is niet meer gerangschikt" ;;
  en) [ "$1" -gt 0 ] && echo "“$t”, rank $1" || echo "“$t” is no longer ranked" ;;
  esac
}
# The catalogue's words every vote says, one a line.
common() {
  case $1 in
  fr) printf '%s\n' 'Dans quel quartier habitez-vous ?' 'Vérifiez votre vote' \
        'Votre vote est enregistré' 'Touches 8 et 2 pour parcourir' 'Aide du clavier' ;;
  nl) printf '%s\n' 'In welke wijk woont u?' 'Kijk uw stem na' 'Uw stem is geregistreerd' \
        'Toetsen 8 en 2 om te bladeren' 'Hulp bij het toetsenbord' ;;
  en) printf '%s\n' 'Which district do you live in?' 'Check your vote' 'Your vote is recorded' \
        'Keys 8 and 2 to move' 'Keypad help' ;;
  esac
}
# The welcome, before anyone chose: the election's name, "choose your language" and the key,
# each in its own voice, in the election's order of languages (1 fr, 2 nl, 3 en); the "+" of
# the transcript says that a sentence follows the one before without cutting it.
welcome() {
  printf '%s\n' \
    "fr	Budget participatif régional 2026 (démonstration). Choisissez votre langue. Pour le français, appuyez sur 1." \
    "nl+	Gewestelijke participatieve begroting 2026 (demonstratie). Kies uw taal. Voor Nederlands, druk op 2." \
    "en+	Regional participatory budget 2026 (demonstration). Choose your language. For English, press 3."
}

# The keys of each vote after the district (the language key and the district come first).
keys_demo() { # knapsack R01 + R03, approval N02
  printf '%s\n' 'pad-to choose-R01' 'pad select' 'pad-to choose-R03' 'pad select' 'pad help' \
    'pad right' 'pad-to choose-N02' 'pad select'
}
said_demo() {
  case $1 in
  fr) printf '%s\n' 'sélectionné' 'Il reste' ;;
  nl) printf '%s\n' 'gekozen' 'over' ;;
  en) printf '%s\n' 'selected' 'left' ;;
  esac
  title R01 "$1"
  title R03 "$1"
  title N02 "$1"
}
votes_demo='city:R01,R03 nord:N02'
keys_a() { # points: R01 2, R03 1 then taken back, R05 1; ranking N02, N04, N05, N02 out, N01
  printf '%s\n' 'pad-to plus-R01' 'pad select' 'pad select' 'pad-to plus-R03' 'pad select' \
    'pad up' 'pad select' 'pad-to plus-R05' 'pad select' 'pad help' 'pad right' \
    'pad-to choose-N02' 'pad select' 'pad-to choose-N04' 'pad select' 'pad-to choose-N05' \
    'pad select' 'pad-to choose-N02 up' 'pad select' 'pad-to choose-N01 up' 'pad select'
}
said_a() {
  case $1 in
  fr) echo 'Ajouter un point' && echo 'Retirer un point' ;;
  nl) echo 'Een punt geven' && echo 'Een punt terugnemen' ;;
  en) echo 'Add a point' && echo 'Take a point back' ;;
  esac
  points 1 R01 "$1"
  points 2 R01 "$1"
  points 1 R03 "$1"
  points 0 R03 "$1"
  points 1 R05 "$1"
  rank 1 N02 "$1"
  rank 2 N04 "$1"
  rank 3 N05 "$1"
  rank 0 N02 "$1"
  rank 3 N01 "$1"
}
votes_a='city:R01,R05=2,1 nord:N04,N05,N01'
keys_b() { # ranking R02, R04; points N02 3 (a fourth refused), N05 1
  printf '%s\n' 'pad-to choose-R02' 'pad select' 'pad-to choose-R04' 'pad select' 'pad help' \
    'pad right' 'pad-to plus-N02' 'pad select' 'pad select' 'pad select' 'pad select' \
    'pad-to plus-N05' 'pad select'
}
said_b() {
  rank 1 R02 "$1"
  rank 2 R04 "$1"
  points 3 N02 "$1"
  points 1 N05 "$1"
}
votes_b='city:R02,R04 nord:N02,N05=3,1'

# vote LANG KEY ELECTION: one blind voter on one election, checked as it goes.
vote() {
  lang=$1 e=$3
  d="$W/$e"
  rm -f "$d/said.txt"
  # the first vote opens the polls; later ones, after a restart, unlock the officials' menu
  if [ -e "$d/journal.sqlite" ]; then open="$ENTER_PIN
tap official-exit"; else open=$OPEN_POLLS; fi
  {
    echo "$open"
    echo "$ENABLE_ANY"
    echo "pad $2"
    echo 'pad-to district-nord'
    echo 'pad select'
    echo 'pad right'
    "keys_$e"
    echo 'pad right'
    echo 'pad right'
    echo 'pad-to dialog-yes'
    echo 'pad select'
    echo "describe done-$lang"
    echo 'pad right'
  } > "$d/script"
  "$BIN/isoloir-kiosk" --demo --windowed --size 1280x800 --package "$d/election.pkg" \
    --authority "$d/auth.pub" --kiosk-key "$d/kiosk.key" --passphrase-file "$d/pp" \
    --journal "$d/journal.sqlite" --script "$d/script" --shots "$d/shots" \
    --speech-transcript "$d/said.txt" 2> "$d/kiosk.err" ||
    { cat "$d/kiosk.err"; fail "the kiosk script ($lang, election $e)"; }
  grep -q '^screen 6 ' "$d/shots/done-$lang.txt" ||
    fail "$lang, $e: the vote did not reach the recorded screen"
  [ -z "${TRANSCRIPTS:-}" ] || cp "$d/said.txt" "$TRANSCRIPTS/said-$lang-$e.txt"
  # the welcome in three voices, once the official enabled the voter
  welcome > "$W/welcome"
  grep -F -f "$W/welcome" -x "$d/said.txt" > "$W/heard" || true
  cmp -s "$W/heard" "$W/welcome" ||
    { cat "$d/said.txt"; fail "$lang, $e: the welcome was not said in its three voices"; }
  { common "$lang"; "said_$e" "$lang"; } | while IFS= read -r phrase; do
    grep "^$lang	" "$d/said.txt" | grep -q -F -- "$phrase" ||
      { cat "$d/said.txt"; fail "$lang, $e: never said \"$phrase\""; }
  done
  # the second ballot is a new screen: its title, rule and the keys' hint
  hint=$(common "$lang" | sed -n 4p)
  grep "^$lang	[^	]*(2/2)\. " "$d/said.txt" | head -1 | grep -q -F -- "$hint" ||
    { cat "$d/said.txt"; fail "$lang, $e: the second ballot was not said as a new screen"; }
  # the tracking code the voter heard is the one the journal holds
  code=$(sed -n 's/^text tracking "\([^"]*\)".*/\1/p' "$d/shots/done-$lang.txt")
  [ -n "$code" ] || { cat "$d/shots/done-$lang.txt"; fail "$lang, $e: no tracking code on the screen"; }
  spelled=$(echo "$code" | sed 's/./& /g; s/ - /, /g; s/ $//')
  grep -q "^$lang	.*$spelled" "$d/said.txt" ||
    fail "$lang, $e: the tracking code $code was not said ($spelled)"
  # after the welcome, every sentence up to the tracking code is in the voter's language (a
  # language button, if the focus passes one, says its own name in its own language)
  other=$(sed -n "/^en+	.*For English, press 3\.$/,/$spelled/p" "$d/said.txt" | sed 1d |
          grep -v "^$lang	" | grep -v -E '^(fr	Français|nl	Nederlands|en	English)$' || true)
  [ -z "$other" ] || { echo "$other"; fail "$lang, $e: sentences in another language"; }
  # the officials' PIN and menus are never spoken
  ! grep -q -e '••' -e '246810' "$d/said.txt" || fail "$lang, $e: the PIN keypad was read out"
  # the list's position line is a sighted voter's bearing: the keypad voter hears each card
  ! grep -q -E '(Projets|Projecten|Projects) [0-9]+ (à|tot|to) [0-9]+' "$d/said.txt" ||
    fail "$lang, $e: the list position was read out"
  eval "echo \"vote \$votes_$e\"" >> "$W/$e/expected"
}

n=0
for v in fr:1:demo fr:1:a nl:2:demo nl:2:b en:3:demo en:3:a; do
  vote "${v%%:*}" "$(echo "$v" | cut -d: -f2)" "${v##*:}"
  n=$((n + 1))
done

for e in demo a b; do
  d="$W/$e"
  "$VOTES" "$d/journal.sqlite" "$d/election.pkg" "$d/auth.pub" "$d/tally.key" "$d/pp" \
    > "$d/got" 2> "$d/codes" || { cat "$d/codes"; fail "$e: the journal does not verify"; }
  cmp -s "$d/got" "$d/expected" ||
    { echo "expected:"; cat "$d/expected"; echo "got:"; cat "$d/got"; fail "$e: votes"; }
done
echo "$n passed, 0 failed"
