#!/bin/sh
# demo.sh — installs what is missing, builds isoloir, creates demo keys and the demo election
# package, and starts the kiosk on it: fullscreen on kiosk hardware (no X/Wayland session),
# windowed on a desktop. Demo keys are protected by the demo passphrase "isoloir-demo".
# Everything generated goes to build/demo/ and is reused on the next run.
set -eu
cd "$(dirname "$0")/../.."
sh tools/dev/deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build/release -j "$(nproc)" --target isoloir-keys isoloir-package isoloir-kiosk
BIN=build/release/bin
DEMO=build/demo
mkdir -p "$DEMO/keys/kiosks" "$DEMO/state"
printf 'isoloir-demo\n' > "$DEMO/passphrase"
chmod 600 "$DEMO/passphrase"

[ -f "$DEMO/keys/authority.key" ] ||
  "$BIN/isoloir-keys" new authority "$DEMO/keys/authority" --demo --passphrase-file "$DEMO/passphrase"
[ -f "$DEMO/keys/tally.key" ] ||
  "$BIN/isoloir-keys" new tally "$DEMO/keys/tally" --demo --passphrase-file "$DEMO/passphrase"
# The kiosk key is made on the kiosk; the authority lists its public key in the package.
[ -f "$DEMO/state/kiosk.key" ] ||
  "$BIN/isoloir-keys" new kiosk "$DEMO/state/kiosk" --demo --passphrase-file "$DEMO/passphrase"
cmp -s "$DEMO/state/kiosk.pub" "$DEMO/keys/kiosks/kiosk-demo.pub" ||
  cp "$DEMO/state/kiosk.pub" "$DEMO/keys/kiosks/kiosk-demo.pub"

# The package is built again only when its inputs changed: each build seals the officials'
# PINs afresh, so two builds of the same election differ byte for byte.
if [ ! -f "$DEMO/election.pkg" ] ||
  [ -n "$(find assets/demo "$BIN/isoloir-package" "$DEMO/keys" -newer "$DEMO/election.pkg" | head -1)" ]; then
  "$BIN/isoloir-package" build assets/demo --authority-key "$DEMO/keys/authority.key" \
    --passphrase-file "$DEMO/passphrase" --tally-key "$DEMO/keys/tally.pub" \
    --kiosk-keys "$DEMO/keys/kiosks" -o "$DEMO/election.pkg"
fi

# A demo journal belongs to the package it was made with, and the kiosk refuses to go on with
# another one. When the demo package changed (a new version of isoloir, an edited
# assets/demo), the old demo journal is moved aside and the kiosk starts a new one.
if [ -e "$DEMO/state/journal.sqlite" ] && ! cmp -s "$DEMO/election.pkg" "$DEMO/state/package.used"; then
  old="$DEMO/state/old-$(date +%Y%m%d-%H%M%S)"
  mkdir -p "$old"
  mv "$DEMO/state"/journal.sqlite* "$old"/
  echo "The demo package changed: the previous demo journal is kept in $old."
fi
cp "$DEMO/election.pkg" "$DEMO/state/package.used"

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  MODE="--windowed"                       # a desktop: a window
elif [ -e /dev/dri/card0 ] && [ -z "${SSH_CONNECTION:-}" ]; then
  MODE=""                                 # kiosk hardware: KMSDRM, fullscreen
else
  echo "No display here: running the kiosk headless for 10 seconds (SDL_VIDEODRIVER=dummy)."
  export SDL_VIDEODRIVER=dummy
  MODE="--windowed --exit-after 10000"
fi
# shellcheck disable=SC2086
exec "$BIN/isoloir-kiosk" --demo $MODE --package "$DEMO/election.pkg" \
  --authority "$DEMO/keys/authority.pub" --kiosk-key "$DEMO/state/kiosk.key" \
  --passphrase-file "$DEMO/passphrase" --journal "$DEMO/state/journal.sqlite"
