#!/bin/sh
# 100 consecutive scripted voters on the real kiosk (isoloir-kiosk --script, the real journal):
# the journal verifies, and decrypting it with the tally key gives exactly the votes the
# voters' taps meant, each with the tracking code the kiosk showed them; the tally counts,
# project by project on every ballot, the votes the voters gave (choices.sh).
set -eu
BIN=$1 SRC=$2 VOTES=$3
. "$SRC/tests/lib.sh" # $W (a scratch folder), fail, the headless display
make_election "$BIN" "$SRC/assets/demo" "$W"
mkdir -p "$W/shots"

echo "$OPEN_POLLS" > "$W/script"
: > "$W/expected"
seed=11
. "$SRC/tests/voters/choices.sh" # rnd (in this shell), voter_choices, check_counts
for v in $(seq 1 100); do
  rnd 3; d=$(echo "nord centre sud" | cut -d' ' -f$((R + 1)))
  rnd 3; lang=$(echo "fr nl en" | cut -d' ' -f$((R + 1)))
  # the official enables the voter for their district (F9), or lets them choose it
  # (the enabling steps are lib.sh's ENABLE_ANY, for one district or letting them choose)
  if [ $((v % 2)) = 0 ]; then
    echo "$ENABLE_ANY" | sed "s/enable-any\$/enable-$d/" >> "$W/script"
    printf 'tap lang-%s\ntap next\n' "$lang" >> "$W/script"
  else
    echo "$ENABLE_ANY" >> "$W/script"
    printf 'tap lang-%s\ntap district-%s\ntap next\n' "$lang" "$d" >> "$W/script"
  fi
  voter_choices "$W/script" "$d"
  printf 'tap next\ntap next\ntap dialog-yes\nshot done-%s\ntap next\n' "$v" >> "$W/script"
done
[ "$(sort -u "$W/expected" | wc -l)" -ge 90 ] || fail "the scripted voters do not vary"
# the officials close the polls: the tally counts a kiosk only from a journal with its close
printf '%s\ntap polls-close\ntap dialog-yes\ntap dialog-yes\n' "$ENTER_PIN" >> "$W/script"
"$BIN/isoloir-kiosk" --demo --windowed --size 1280x800 --package "$W/election.pkg" \
  --authority "$W/auth.pub" --kiosk-key "$W/kiosk.key" --passphrase-file "$W/pp" \
  --journal "$W/journal.sqlite" --script "$W/script" --shots "$W/shots" 2> "$W/kiosk.err" ||
  { cat "$W/kiosk.err"; fail "the kiosk script"; }
"$VOTES" "$W/journal.sqlite" "$W/election.pkg" "$W/auth.pub" "$W/tally.key" "$W/pp" \
  > "$W/got" 2> "$W/codes" || { cat "$W/codes"; fail "the journal does not verify"; }
cmp -s "$W/got" "$W/expected" || { diff "$W/expected" "$W/got" | head; fail "decrypted votes"; }
# every voter saw the tracking code the journal derives from their ballot
for v in $(seq 1 100); do
  code=$(sed -n 's/^text tracking "\(.*\)" .*/\1/p' "$W/shots/done-$v.txt")
  [ "$(sed -n "${v}p" "$W/codes")" = "tracking $code" ] || fail "voter $v saw $code"
done
# the tally verifies the journal and counts the same votes
"$BIN/tally" verify --package "$W/election.pkg" --authority "$W/auth.pub" --demo \
  "$W/journal.sqlite" > "$W/verify" || { cat "$W/verify"; fail "tally verify"; }
"$BIN/tally" count --package "$W/election.pkg" --authority "$W/auth.pub" --demo \
  --tally-key "$W/tally.key" --passphrase-file "$W/pp" --format csv "$W/journal.sqlite" \
  > "$W/count.csv" 2> /dev/null || fail "tally count"
check_counts "$W/count.csv"
# a journal with one changed byte is refused, and nothing is counted
cp "$W/journal.sqlite" "$W/bad.sqlite"
size=$(stat -c %s "$W/bad.sqlite")
printf 'X' | dd of="$W/bad.sqlite" bs=1 seek=$((size - 200)) conv=notrunc 2> /dev/null
if "$BIN/tally" count --package "$W/election.pkg" --authority "$W/auth.pub" --demo \
  --tally-key "$W/tally.key" --passphrase-file "$W/pp" "$W/bad.sqlite" > "$W/bad" 2>&1; then
  fail "a damaged journal was counted"
fi
grep -q "PROBLEMS FOUND" "$W/bad" || fail "the damage is not reported"
echo "1 passed, 0 failed"
