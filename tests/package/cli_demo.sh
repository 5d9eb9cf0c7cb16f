#!/bin/sh
# The authority's whole path on the demo election, through the command-line tools: key
# ceremony, package build, verification, and the refusals an official must see (demo package
# without demo mode, another authority, one changed byte, a folder with a mistake).
set -eu
BIN=$1 SRC=$2
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
echo isoloir-demo > "$W/pp"
mkdir -p "$W/kiosks"
"$BIN/isoloir-keys" new authority "$W/auth" --demo --passphrase-file "$W/pp" > /dev/null
"$BIN/isoloir-keys" new authority "$W/other" --demo --passphrase-file "$W/pp" > /dev/null
"$BIN/isoloir-keys" new tally "$W/tally" --demo --passphrase-file "$W/pp" > /dev/null
"$BIN/isoloir-keys" new kiosk "$W/kiosks/k1" --demo --passphrase-file "$W/pp" > /dev/null
rm "$W/kiosks/k1.key"

"$BIN/isoloir-package" build "$SRC/assets/demo" --authority-key "$W/auth.key" \
  --passphrase-file "$W/pp" --tally-key "$W/tally.pub" --kiosk-keys "$W/kiosks" \
  -o "$W/demo.pkg" > "$W/build.out" || fail "the demo election does not build"
grep -q "27 in 3 districts" "$W/build.out" || fail "the demo should have 27 projects"

out=$("$BIN/isoloir-package" show "$W/demo.pkg" --authority "$W/auth.pub" --demo)
echo "$out" | grep -q "signature: valid" || fail "show --demo"
if "$BIN/isoloir-package" show "$W/demo.pkg" --authority "$W/auth.pub" 2> "$W/err"; then
  fail "a demo package was accepted outside demo mode"
fi
grep -q "DEMONSTRATION" "$W/err" || fail "no demo message"
if "$BIN/isoloir-package" show "$W/demo.pkg" --authority "$W/other.pub" --demo 2> "$W/err"; then
  fail "accepted under another authority"
fi
grep -q "this machine trusts" "$W/err" || fail "no fingerprint message"
# one changed byte in the middle of the pictures
size=$(stat -c %s "$W/demo.pkg")
printf 'X' | dd of="$W/demo.pkg" bs=1 seek=$((size / 2)) conv=notrunc 2> /dev/null
if "$BIN/isoloir-package" show "$W/demo.pkg" --authority "$W/auth.pub" --demo 2> "$W/err"; then
  fail "a changed package was accepted"
fi
grep -q "altered" "$W/err" || fail "no tamper message"

# a folder with a mistake: nothing is written and the place is named
cp -r "$SRC/assets/demo" "$W/bad"
sed -i 's/^max = 3$/max = 0/' "$W/bad/election.conf"
if "$BIN/isoloir-package" build "$W/bad" --authority-key "$W/auth.key" --passphrase-file "$W/pp" \
  --tally-key "$W/tally.pub" --kiosk-keys "$W/kiosks" -o "$W/bad.pkg" 2> "$W/err"; then
  fail "an invalid folder was built"
fi
grep -q "election.conf:.*max" "$W/err" || fail "the mistake is not located"
[ ! -e "$W/bad.pkg" ] || fail "a package was written despite errors"
echo "1 passed, 0 failed"
