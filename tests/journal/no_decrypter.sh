#!/bin/sh
# The kiosk binary holds no code that opens a sealed ballot: it seals (sealed_seal,
# crypto_box_seal) and never references sealed_open or crypto_box_seal_open.
#   no_decrypter.sh KIOSK_BINARY
set -eu
syms=$(nm "$1") || { echo "FAIL: cannot list the symbols of $1"; exit 1; }
echo "$syms" | grep -q ' sealed_seal$' || { echo "FAIL: no sealed_seal in $1 (stripped?)"; exit 1; }
if echo "$syms" | grep -E ' (sealed_open|crypto_box_seal_open|crypto_box_curve25519xsalsa20poly1305_open)$'; then
  echo "FAIL: the kiosk links the ballot decrypter"
  exit 1
fi
echo "1 passed, 0 failed"
