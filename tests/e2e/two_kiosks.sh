#!/bin/sh
# two_kiosks.sh — a vote point's day end to end, on the demo election:
#   kiosk-a (attended): an official opens the polls, enables 50 voters one by one (F9, with
#     their district or letting them choose), pauses and exports at noon, resumes, closes
#     (twice confirmed) and exports the closing bundle;
#   kiosk-b (voter cards, a [kiosk] section of the package): 50 voters type the code of
#     their card; a spent card, a mistyped code and an unknown one are refused kindly; the
#     same pause, export, resume, close, export.
# Then `tally verify` takes the four bundles (two per kiosk, the earlier a prefix of the
# later) and `tally count` gives, for every project of every ballot, the votes the scripts
# cast (not zero: the voters' choices vary, tests/voters/choices.sh).
# usage: two_kiosks.sh BIN_DIR SOURCE_DIR
set -eu
BIN=$1 SRC=$2
. "$SRC/tests/lib.sh" # $W (a scratch folder), fail, the headless display

# ---- the election: demo projects, two kiosks, voter cards at kiosk-b
echo isoloir-demo > "$W/pp"
keys() { "$BIN/isoloir-keys" new "$1" "$W/$2" --demo --passphrase-file "$W/pp" > /dev/null; }
keys authority auth
# the tally key is split among five trustees, three of whom must meet to count
for i in 1 2 3 4 5; do echo "trustee-$i" > "$W/tp$i"; done
"$BIN/isoloir-keys" new tally "$W/tally" --demo --trustees 3-of-5 \
  $(for i in 1 2 3 4 5; do printf ' --share-passphrase-file %s/tp%s' "$W" "$i"; done) > /dev/null ||
  fail "the tally key split 3 of 5"
[ ! -e "$W/tally.key" ] || fail "a whole tally key was written beside the shares"
shares() { # the options that give these trustees' shares
  for i in "$@"; do printf ' --share %s/tally-%s.share' "$W" "$i"; done
  for i in "$@"; do printf ' --share-passphrase-file %s/tp%s' "$W" "$i"; done
}
keys kiosk kiosk-a
keys kiosk kiosk-b
mkdir -p "$W/kiosks" "$W/shots" "$W/usb-a" "$W/usb-b"
cp "$W/kiosk-a.pub" "$W/kiosk-b.pub" "$W/kiosks/"
cp -r "$SRC/assets/demo" "$W/election"
printf '\n[kiosk kiosk-b]\neligibility = token\n' >> "$W/election/election.conf"
for d in nord centre sud; do
  "$BIN/isoloir-tokens" generate --district "$d" --count 50 --out "$W/cards-$d" > /dev/null
done
{ echo "# isoloir-tokens 1"; grep -hv '^#' "$W"/cards-*/tokens.tsv; } > "$W/tokens.tsv"
"$BIN/isoloir-package" build "$W/election" --authority-key "$W/auth.key" \
  --passphrase-file "$W/pp" --tally-key "$W/tally.pub" --kiosk-keys "$W/kiosks" \
  --tokens "$W/tokens.tsv" -o "$W/election.pkg" > "$W/package.out" ||
  { cat "$W/package.out"; fail "package build"; }
grep -q "kiosk-b  voter cards" "$W/package.out" || { cat "$W/package.out"; fail "kiosk-b mode"; }

# ---- the voters: the same random choices as voters.sh, each recorded in $W/expected
seed=7
. "$SRC/tests/voters/choices.sh" # rnd (in this shell), voter_choices, check_counts
: > "$W/expected"
nvote=0
# choices KIOSK_SCRIPT DISTRICT: the ballots after the how-to screen, cast, tracking shot
choices() {
  echo "tap next" >> "$1"
  voter_choices "$1" "$2"
  nvote=$((nvote + 1))
  printf 'tap next\ntap next\ntap dialog-yes\ndescribe done-%s\ntap next\n' "$nvote" >> "$1"
}
# the official's noon: pause, export, resume; the evening: close twice confirmed, with the
# stick in (the kiosk exports at close)
NOON="$ENTER_PIN
tap polls-pause
tap export
describe noon-export
tap polls-resume
tap official-exit"
EVENING="$ENTER_PIN
tap polls-close
tap dialog-yes
tap dialog-yes
describe evening-export
tap official-exit"

A="$W/a.script"
echo "$OPEN_POLLS" > "$A"
for v in $(seq 1 50); do
  rnd 3; d=$(echo "nord centre sud" | cut -d' ' -f$((R + 1)))
  rnd 3; lang=$(echo "fr nl en" | cut -d' ' -f$((R + 1)))
  echo "expect lang-$lang absent" >> "$A" # waiting for the official
  if [ $((v % 3)) = 0 ]; then
    echo "$ENABLE_ANY" >> "$A" # lib.sh: the official's steps to enable a voter
    printf 'tap lang-%s\ntap district-%s\n' "$lang" "$d" >> "$A"
  else
    echo "$ENABLE_ANY" | sed "s/enable-any\$/enable-$d/" >> "$A"
    printf 'tap lang-%s\n' "$lang" >> "$A"
  fi
  choices "$A" "$d"
  [ "$v" = 25 ] && echo "$NOON" >> "$A"
done
echo "$EVENING" >> "$A"

B="$W/b.script"
echo "$OPEN_POLLS" > "$B"
echo "no card" > "$W/used"
for v in $(seq 1 50); do
  rnd 3; d=$(echo "nord centre sud" | cut -d' ' -f$((R + 1)))
  rnd 3; lang=$(echo "fr nl en" | cut -d' ' -f$((R + 1)))
  # the next unused card of the district
  code=$(grep ",$d\$" "$W/cards-$d/cards.csv" | cut -d, -f1 | grep -vxF -f "$W/used" | head -1)
  [ -n "$code" ] || fail "no card left for $d"
  echo "$code" >> "$W/used"
  printf 'tap lang-%s\nexpect token-input present\n' "$lang" >> "$B"
  case $v in
  5) # a scanner: the code and Enter, in lower case without dashes
    printf 'type %s\nkey Return\n' "$(echo "$code" | tr -d '-' | tr 'A-Z' 'a-z')" >> "$B" ;;
  9) # a typo first (a wrong last character), then the right code on the on-screen keys
    case $code in *0) bad="${code%?}1" ;; *) bad="${code%?}0" ;; esac
    printf 'type %s\ntap token-ok\nexpect notice present\nexpect tk-A present\n' "$bad" >> "$B"
    for _ in $(seq 1 21); do echo "tap token-erase" >> "$B"; done
    echo "$code" | tr -d '-' | fold -w1 | sed 's/^/tap tk-/' >> "$B"
    echo "tap token-ok" >> "$B" ;;
  *) printf 'type %s\ntap token-ok\n' "$code" >> "$B" ;;
  esac
  echo "expect token-input absent" >> "$B"
  choices "$B" "$d"
  if [ "$v" = 12 ]; then
    # the same card again is refused, and so is a card of another election
    printf 'tap lang-fr\ntype %s\ntap token-ok\nexpect notice present\n' "$code" >> "$B"
    echo "describe spent" >> "$B"
    printf 'type 0000-0000-0000-0000-0\ntap token-ok\ndescribe unknown\n' >> "$B"
    printf 'tap cancel\ntap dialog-yes\n' >> "$B"
  fi
  [ "$v" = 25 ] && echo "$NOON" >> "$B"
done
echo "$EVENING" >> "$B"

run_kiosk() { # NAME SCRIPT
  "$BIN/isoloir-kiosk" --demo --windowed --size 1280x800 --package "$W/election.pkg" \
    --authority "$W/auth.pub" --kiosk-key "$W/$1.key" --passphrase-file "$W/pp" \
    --journal "$W/$1.sqlite" --script "$2" --shots "$W/shots/$1" \
    --export-dir "$W/usb-${1#kiosk-}" 2> "$W/$1.err" || { cat "$W/$1.err"; fail "$1's script"; }
}
mkdir -p "$W/shots/kiosk-a" "$W/shots/kiosk-b"
run_kiosk kiosk-a "$A"
run_kiosk kiosk-b "$B"
grep -q 'notice "Ce code a déjà été utilisé' "$W/shots/kiosk-b/spent.txt" ||
  grep -q 'notice ".*déjà' "$W/shots/kiosk-b/spent.txt" ||
  { grep notice "$W/shots/kiosk-b/spent.txt"; fail "a spent card was not refused"; }
grep -q 'notice ' "$W/shots/kiosk-b/unknown.txt" || fail "an unknown card was not refused"
for k in a b; do
  grep -q 'official-message ".*Export v' "$W/shots/kiosk-$k/evening-export.txt" ||
    { grep official-message "$W/shots/kiosk-$k/evening-export.txt"; fail "kiosk-$k export"; }
  [ "$(ls -d "$W/usb-$k"/isoloir-* | wc -l)" = 2 ] || fail "kiosk-$k: two bundles expected"
done

# ---- the tally: verify the four bundles, count, compare with the scripts
"$BIN/tally" verify --package "$W/election.pkg" --authority "$W/auth.pub" --demo \
  "$W"/usb-a/isoloir-* "$W"/usb-b/isoloir-* > "$W/verify" || { cat "$W/verify"; fail "verify"; }
"$BIN/tally" count --package "$W/election.pkg" --authority "$W/auth.pub" --demo \
  $(shares 1 3 5) --format csv \
  "$W"/usb-a/isoloir-* "$W"/usb-b/isoloir-* > "$W/count.csv" 2> "$W/count.err" ||
  { cat "$W/count.err"; fail "tally count"; }
grep -q "joined in memory from 3 trustee shares" "$W/count.err" || fail "no trustee join"
[ "$(wc -l < "$W/expected")" = 100 ] || fail "the scripts should cast 100 ballots"
[ "$(sort -u "$W/expected" | wc -l)" -ge 90 ] || fail "the scripted voters do not vary"
# the same through the tally database: each stick imported as it arrives (kiosk-b's twice),
# then counted and the tracking codes published
for src in "$W"/usb-a/isoloir-* "$W"/usb-b/isoloir-* "$W"/usb-b/isoloir-*; do
  "$BIN/tally" import --db "$W/tally.sqlite" --package "$W/election.pkg" \
    --authority "$W/auth.pub" --demo "$src" > "$W/import.out" 2>&1 ||
    { cat "$W/import.out"; fail "tally import $src"; }
done
"$BIN/tally" count --db "$W/tally.sqlite" $(shares 2 4 5) \
  --demo --format csv > "$W/count-db.csv" 2> "$W/count-db.err" ||
  { cat "$W/count-db.err"; fail "tally count --db"; }
cmp -s "$W/count.csv" "$W/count-db.csv" ||
  { diff "$W/count.csv" "$W/count-db.csv" | head; fail "the database counts otherwise"; }
"$BIN/tally" tracking --db "$W/tally.sqlite" --demo --out "$W/tracking.csv" ||
  fail "tally tracking"
[ "$(grep -c . "$W/tracking.csv")" -ge 100 ] || fail "tracking codes missing"
for f in "$W"/shots/kiosk-*/done-*.txt; do # every code a voter saw is published
  code=$(sed -n 's/^text tracking "\(.*\)" .*/\1/p' "$f")
  [ -n "$code" ] && grep -q "^$code," "$W/tracking.csv" || fail "code '$code' ($f) not published"
done
[ "$(ls "$W"/shots/kiosk-*/done-*.txt | wc -l)" = 100 ] || fail "100 voters saw a tracking code"
# the published site (three other trustees) lists every code a voter saw, in its lookup shards
"$BIN/tally" publish --db "$W/tally.sqlite" $(shares 1 2 4) --demo --out "$W/site" \
  > "$W/publish.out" 2>&1 || { cat "$W/publish.out"; fail "tally publish"; }
for f in "$W"/shots/kiosk-*/done-*.txt; do
  code=$(sed -n 's/^text tracking "\(.*\)" .*/\1/p' "$f" | tr -d -)
  shard=$(printf %.2s "$code")
  grep -q "$(printf %s "$code" | cut -c3-)" "$W/site/codes/$shard.js" ||
    fail "code $code ($f) not in the published site"
done
check_counts "$W/count.csv"
# a bundle with one ballot removed from its journal is refused
cp -r "$(ls -d "$W"/usb-b/isoloir-* | tail -1)" "$W/tampered"
sqlite3 "$W/tampered/journal.sqlite" "DROP TRIGGER rows_no_delete; DELETE FROM rows WHERE kind = 3 AND seq = (SELECT max(seq) FROM rows WHERE kind = 3);" 2> /dev/null || true
if "$BIN/tally" verify --package "$W/election.pkg" --authority "$W/auth.pub" --demo \
  "$W/tampered" > "$W/tampered.out" 2>&1; then
  fail "a tampered bundle passed verification"
fi
echo "1 passed, 0 failed"
