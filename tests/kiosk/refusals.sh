#!/bin/sh
# refusals.sh — what the kiosk refuses to start on, and says why:
#   --demo with a real authority key, a real kiosk key or a real election package (real
#   ballots would go into a journal whose screens say "this vote does not count");
#   a journal that went missing, or is empty, beside the kiosk's records of an earlier vote
#   (PIN state, reports): no new journal is made, and no report is written over;
#   and a real election opened outside its voting period: a warning first, then an event row.
# usage: refusals.sh BIN_DIR SOURCE_DIR
set -eu
BIN=$1 SRC=$2
. "$SRC/tests/lib.sh" # $W (a scratch folder), fail, the headless display
make_election "$BIN" "$SRC/assets/demo" "$W"
mkdir -p "$W/shots" "$W/real/kiosks"
echo 'a real passphrase for tests' > "$W/real/pp"
for k in authority:auth tally:tally kiosk:kiosk; do
  "$BIN/isoloir-keys" new "${k%%:*}" "$W/real/${k#*:}" --cost interactive \
    --passphrase-file "$W/real/pp" > /dev/null
done
cp "$W/real/kiosk.pub" "$W/real/kiosks/"
cp -r "$SRC/assets/demo" "$W/real/election"
sed -i 's/^demo = yes/demo = no/' "$W/real/election/election.conf"
"$BIN/isoloir-package" build "$W/real/election" --authority-key "$W/real/auth.key" \
  --passphrase-file "$W/real/pp" --tally-key "$W/real/tally.pub" \
  --kiosk-keys "$W/real/kiosks" -o "$W/real/election.pkg" > /dev/null
printf 'describe start\n' > "$W/s"

kiosk() { # EXPECT(ok|refused) PACKAGE AUTH KIOSK_KEY PASSFILE [--demo]
  _want=$1
  shift
  if "$BIN/isoloir-kiosk" ${5:-} --windowed --size 800x480 --package "$1" --authority "$2" \
    --kiosk-key "$3" --passphrase-file "$4" --journal "$W/journal.sqlite" --script "$W/s" \
    --shots "$W/shots" 2> "$W/err"; then
    [ "$_want" = ok ] || fail "the kiosk started on $* ($(cat "$W/err"))"
  else
    [ "$_want" = refused ] || { cat "$W/err"; fail "the kiosk did not start on $*"; }
  fi
}

# 1. --demo runs only demonstration keys and packages
kiosk refused "$W/real/election.pkg" "$W/real/auth.pub" "$W/real/kiosk.key" "$W/real/pp" --demo
grep -q "REAL authority key" "$W/err" || { cat "$W/err"; fail "a real authority key under --demo"; }
[ ! -e "$W/journal.sqlite" ] || fail "a journal was made for a refused start"
kiosk refused "$W/election.pkg" "$W/auth.pub" "$W/real/kiosk.key" "$W/real/pp" --demo
grep -q "REAL kiosk key\|not listed\|does not list\|not authorised" "$W/err" ||
  { cat "$W/err"; fail "a real kiosk key under --demo"; }
# the real vote itself starts (without --demo)
kiosk ok "$W/real/election.pkg" "$W/real/auth.pub" "$W/real/kiosk.key" "$W/real/pp"
grep -q 'DEMO' "$W/shots/start.txt" && fail "a real vote shows the demonstration banner"
rm -rf "$W/journal.sqlite"* "$W/shots"/*

# 2. a journal gone missing beside the kiosk's records: refused, nothing overwritten
printf '%s\ntap polls-open\ndescribe opened\n' "$ENTER_PIN" > "$W/s"
kiosk ok "$W/election.pkg" "$W/auth.pub" "$W/kiosk.key" "$W/pp" --demo
zero=$(ls "$W"/journal.sqlite.reports/report-zero-*.txt)
cp "$zero" "$W/zero.before"
mv "$W/journal.sqlite" "$W/journal.elsewhere"
kiosk refused "$W/election.pkg" "$W/auth.pub" "$W/kiosk.key" "$W/pp" --demo
grep -q "journal.sqlite is missing, but this kiosk's records of an earlier vote" "$W/err" ||
  { cat "$W/err"; fail "no word of the missing journal"; }
grep -q "journal.sqlite.reports" "$W/err" || { cat "$W/err"; fail "the records are not named"; }
[ ! -e "$W/journal.sqlite" ] || fail "a new journal was made beside the old records"
cmp -s "$zero" "$W/zero.before" || fail "the zero report was overwritten"
: > "$W/journal.sqlite"
kiosk refused "$W/election.pkg" "$W/auth.pub" "$W/kiosk.key" "$W/pp" --demo
grep -q "journal.sqlite is empty" "$W/err" || { cat "$W/err"; fail "no word of the empty journal"; }
[ ! -s "$W/journal.sqlite" ] || fail "the empty journal was filled"
mv "$W/journal.elsewhere" "$W/journal.sqlite"
printf '%s\ndescribe back\n' "$ENTER_PIN" > "$W/s"
kiosk ok "$W/election.pkg" "$W/auth.pub" "$W/kiosk.key" "$W/pp" --demo
grep -q 'status-0 "Scrutin : ouvert"' "$W/shots/back.txt" || fail "the journal put back is not open"
rm -rf "$W/journal.sqlite"* "$W/shots"/*

# 3. a real election whose voting period is not today: opening asks first, and says why
sed -i 's/^voting_start = .*/voting_start = 2020-03-01T08:00:00+01:00/; s/^voting_end = .*/voting_end = 2020-03-10T20:00:00+01:00/' \
  "$W/real/election/election.conf"
"$BIN/isoloir-package" build "$W/real/election" --authority-key "$W/real/auth.key" \
  --passphrase-file "$W/real/pp" --tally-key "$W/real/tally.pub" \
  --kiosk-keys "$W/real/kiosks" -o "$W/real/past.pkg" > /dev/null
printf '%s\ntap polls-open\nshot clock\nexpect polls-pause absent\ntap larger\ndescribe clock-large\ntap dialog-yes\ndescribe opened\n' \
  "$ENTER_PIN" > "$W/s"
kiosk ok "$W/real/past.pkg" "$W/real/auth.pub" "$W/real/kiosk.key" "$W/real/pp"
grep -q 'clock-warning "Attention : l.horloge de la borne indique .*2020-03-01 07:00 UTC' \
  "$W/shots/clock.txt" || { cat "$W/shots/clock.txt"; fail "no clock warning"; }
if grep -l OVERFLOW "$W/shots"/clock*.txt; then fail "the clock warning does not fit"; fi
grep -q 'status-0 "Scrutin : ouvert"' "$W/shots/opened.txt" || fail "open anyway did not open"
"$BIN/isoloir-inspect" "$W/journal.sqlite" --package "$W/real/past.pkg" \
  --authority "$W/real/auth.pub" > "$W/rows" 2>&1 || true
grep -q "clock confirmed \"clock 20[0-9-]*T[0-9:]*Z outside 2020-03-01T07:00:00Z/2020-03-10" "$W/rows" || { cat "$W/rows"; fail "no event row for the clock"; }
echo "1 passed, 0 failed"
