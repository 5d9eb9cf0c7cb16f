#!/bin/sh
# deps.sh — installs the Debian packages isoloir needs to build, run and test, if any is
# missing. Runs apt-get only when something is missing (as root, or through sudo).
set -eu
PACKAGES="build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  libsdl2-dev libsdl2-ttf-dev libsodium-dev libsqlite3-dev sqlite3 libusb-1.0-0-dev
  fonts-noto-core fonts-dejavu-core umockdev libumockdev-dev mtools dosfstools
  libgmp-dev libpng-dev libjpeg62-turbo-dev zlib1g-dev libespeak-ng-dev espeak-ng-data
  libgfshare-dev libqrencode-dev gettext chromium xz-utils python3"

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0

echo "Installing:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "deps.sh: run as root or install sudo" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
