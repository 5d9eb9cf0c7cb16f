#!/bin/sh
# install.sh — an official installs another election package from a USB stick: a package of
# another authority is refused with the reason; a good one is described (name, fingerprints)
# and installed on confirmation; the kiosk ends, its journal is archived (never deleted), and
# the next start runs the new election with a new journal. An install cut off after the
# journal was archived is completed at the next start. A pipe named like a package is refused
# at once (Install never waits on it).
# usage: install.sh BIN_DIR SOURCE_DIR
set -eu
BIN=$1 SRC=$2
. "$SRC/tests/lib.sh" # $W (a scratch folder), fail, the headless display
make_election "$BIN" "$SRC/assets/demo" "$W"
cp "$W/election.pkg" "$W/first.isoloir"
mkdir -p "$W/shots" "$W/stick" "$W/foreign/keys"
# the next election: same authority and keys, another name
cp -r "$SRC/assets/demo" "$W/next"
sed -i 's/^name.fr = .*/name.fr = Budget participatif 2027 (démonstration)/' "$W/next/election.conf"
"$BIN/isoloir-package" build "$W/next" --authority-key "$W/auth.key" --passphrase-file "$W/pp" \
  --tally-key "$W/tally.pub" --kiosk-keys "$W/kiosks" -o "$W/stick/next-2027.isoloir" > /dev/null
# a package signed by someone else
"$BIN/isoloir-keys" new authority "$W/foreign/keys/auth" --demo --passphrase-file "$W/pp" > /dev/null
"$BIN/isoloir-package" build "$W/next" --authority-key "$W/foreign/keys/auth.key" \
  --passphrase-file "$W/pp" --tally-key "$W/tally.pub" --kiosk-keys "$W/kiosks" \
  -o "$W/foreign/other.isoloir" > /dev/null

kiosk() { # STICK_DIR SCRIPT
  "$BIN/isoloir-kiosk" --demo --windowed --size 1280x800 --package "$W/election.pkg" \
    --authority "$W/auth.pub" --kiosk-key "$W/kiosk.key" --passphrase-file "$W/pp" \
    --journal "$W/journal.sqlite" --script "$2" --shots "$W/shots" --export-dir "$1" \
    2> "$W/err" || { cat "$W/err"; fail "kiosk with $2"; }
}
# a pipe named like a package never makes Install wait (only ordinary files are read)
mkdir -p "$W/fifo"
mkfifo "$W/fifo/trap.isoloir"
printf '%s\ntap install\nexpect install-confirm absent\ndescribe fifo\n' "$ENTER_PIN" > "$W/s0"
kiosk "$W/fifo" "$W/s0"
grep -q "official-message \"Ce paquet ne peut pas être installé : trap.isoloir sur la clé n'est pas un fichier ordinaire" \
  "$W/shots/fifo.txt" || { grep official-message "$W/shots/fifo.txt"; fail "the pipe was not refused in French"; }
printf '%s\ntap install\nexpect install-confirm absent\ndescribe foreign\n' "$ENTER_PIN" > "$W/s1"
kiosk "$W/foreign" "$W/s1"
# the reason in the official's language (the technical detail, in English, goes to the log)
grep -q "official-message \"Ce paquet ne peut pas être installé : le paquet n'est pas signé par l'autorité" \
  "$W/shots/foreign.txt" ||
  { grep official-message "$W/shots/foreign.txt"; fail "a foreign package was not refused in French"; }
grep -q "install refused: the package is signed by authority key" "$W/err" ||
  { cat "$W/err"; fail "the log does not say which key signed the foreign package"; }

printf '%s\ntap polls-open\nexpect install absent\ntap official-exit\n' "$ENTER_PIN" > "$W/s2"
printf '%s\ntap polls-close\ntap dialog-yes\ntap dialog-yes\ntap install\n' "$ENTER_PIN" >> "$W/s2"
printf 'describe shown\ntap install-confirm\nexpect nothing-after-the-install present\n' >> "$W/s2"
kiosk "$W/stick" "$W/s2"
grep -q 'official-message "Paquet sur la clé : Budget participatif 2027' "$W/shots/shown.txt" ||
  { grep official-message "$W/shots/shown.txt"; fail "the package was not described"; }
grep -q "installed" "$W/err" || { cat "$W/err"; fail "no word of the install"; }
cmp -s "$W/election.pkg" "$W/stick/next-2027.isoloir" || fail "the new package is not in place"
[ ! -e "$W/journal.sqlite" ] || fail "the old journal was not archived"
ls "$W"/archive/*-journal.sqlite > /dev/null || fail "no archived journal"
"$BIN/tally" verify --package "$W/first.isoloir" --authority "$W/auth.pub" --demo \
  "$W"/archive/*-journal.sqlite > "$W/verify" || { cat "$W/verify"; fail "the archive verifies"; }

printf 'describe after\n' > "$W/s3"
kiosk "$W/stick" "$W/s3"
grep -q 'title "Budget participatif 2027' "$W/shots/after.txt" || fail "not the new election"

# cut off after the journal went to the archive: the next start finishes the install
# (the kiosk's state files go first, the journal last)
cp "$W/first.isoloir" "$W/election.pkg.new"
for f in "$W"/journal.sqlite*; do mv "$f" "$W/archive/cut-${f##*/}"; done
kiosk "$W/stick" "$W/s3"
grep -q 'title "Budget participatif régional 2026' "$W/shots/after.txt" || fail "the cut install"
[ ! -e "$W/election.pkg.new" ] || fail "the staged package is still there"
echo "1 passed, 0 failed"
