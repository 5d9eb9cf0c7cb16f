#!/bin/sh
# Counting with the tally key split among trustees: the key of a generated election is split
# 3 of 5 and destroyed; any three shares count the same as the whole key did (from the tally
# database and straight from the exports), two shares, a wrong passphrase, a share of another
# key and a whole key of another election are refused with the share or key named.
#   tally_shares.sh TALLY GEN KEYS
set -eu
TALLY=$1 GEN=$2 KEYS=$3
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$GEN" gen "$W/e" --kiosks 2 --ballots 40 --jobs 1 > /dev/null || fail "the generator"
cd "$W/e"
PKG="--package election.pkg --authority auth.pub"
"$TALLY" import --db t.sqlite $PKG bundles/* > /dev/null || fail "import"
"$TALLY" count --db t.sqlite --tally-key tally.key --passphrase-file pp --format csv \
  > whole.csv 2> /dev/null || fail "count with the whole key"
[ "$(wc -l < whole.csv)" -gt 2 ] || fail "nothing counted with the whole key"

for i in 1 2 3 4 5; do echo "trustee passphrase $i" > p$i; done
"$KEYS" split tally.key tr --trustees 3-of-5 --passphrase-file pp --cost interactive \
  --trustee Ada --trustee Bob --trustee Carla --trustee Dirk --trustee Eva \
  --share-passphrase-file p1 --share-passphrase-file p2 --share-passphrase-file p3 \
  --share-passphrase-file p4 --share-passphrase-file p5 > split.out || { cat split.out; fail "split"; }
rm tally.key

# share FILE and passphrase options for the trustees given (numbers)
shares() { for i in "$@"; do printf ' --share tr-%s.share' "$i"; done
           for i in "$@"; do printf ' --share-passphrase-file p%s' "$i"; done; }

# every three of the five count the same as the whole key
n=0
for t in "1 2 3" "1 2 4" "1 2 5" "1 3 4" "1 3 5" "1 4 5" "2 3 4" "2 3 5" "2 4 5" "3 4 5"; do
  # shellcheck disable=SC2046,SC2086
  "$TALLY" count --db t.sqlite $(shares $t) --format csv > c.csv 2> c.err ||
    { cat c.err; fail "count with shares $t"; }
  cmp -s whole.csv c.csv || fail "shares $t count differently from the whole key"
  grep -q "joined in memory from 3 trustee shares" c.err || { cat c.err; fail "no join line"; }
  n=$((n + 1))
done
[ $n = 10 ] || fail "not every triple was tried"

# straight from the exports, passphrases on standard input, shares in another order
printf 'trustee passphrase 5\ntrustee passphrase 2\ntrustee passphrase 4\n' |
  "$TALLY" count $PKG --share tr-5.share --share tr-2.share --share tr-4.share \
    --share-passphrase-file - --share-passphrase-file - --share-passphrase-file - \
    --format csv bundles/* > s.csv 2> s.err || { cat s.err; fail "count from the exports"; }
cmp -s whole.csv s.csv || fail "the count from the exports differs"

# two shares: refused, nothing counted, and it says how many are missing
# shellcheck disable=SC2046
if "$TALLY" count --db t.sqlite $(shares 2 4) > two.out 2>&1; then fail "counted with 2 shares"; fi
grep -q "split 3 of 5" two.out || { cat two.out; fail "the threshold is not said"; }
grep -q "1 more needed" two.out || { cat two.out; fail "the missing share is not said"; }
grep -q "Bob, tr-2.share" two.out || { cat two.out; fail "the given shares are not named"; }

# a wrong passphrase names the share
echo "not the passphrase" > bad
if "$TALLY" count --db t.sqlite --share tr-1.share --share tr-3.share --share tr-5.share \
  --share-passphrase-file p1 --share-passphrase-file bad --share-passphrase-file p5 \
  > wrong.out 2>&1; then fail "counted with a wrong passphrase"; fi
grep -q "passphrase is wrong for share 3 of 5 (Carla, tr-3.share)" wrong.out ||
  { cat wrong.out; fail "the share with the wrong passphrase is not named"; }

# the same share twice
# shellcheck disable=SC2046
if "$TALLY" count --db t.sqlite $(shares 1 4 4) > dup.out 2>&1; then fail "counted a duplicate"; fi
grep -q "are the same share, given twice" dup.out || { cat dup.out; fail "duplicate not named"; }

# a share of another key, and a whole key of another election
"$KEYS" new tally other --demo --trustees 2-of-3 --share-passphrase-file p1 \
  --share-passphrase-file p2 --share-passphrase-file p3 > /dev/null || fail "another split"
if "$TALLY" count --db t.sqlite --share tr-1.share --share other-2.share --share tr-3.share \
  > foreign.out 2>&1; then fail "counted with a foreign share"; fi
grep -q "share 2 of 3 (other-2.share) is a share of another tally key" foreign.out ||
  { cat foreign.out; fail "the foreign share is not named"; }
"$KEYS" new tally whole --demo --passphrase-file pp > /dev/null || fail "another key"
if "$TALLY" count --db t.sqlite --tally-key whole.key --passphrase-file pp > k.out 2>&1; then
  fail "counted with another election's key"; fi
grep -q "whole.key is the tally key .*, but this election's ballots are sealed to" k.out ||
  { cat k.out; fail "another election's key is not named"; }

# a key and shares together, or a share passphrase as --passphrase-file: usage errors
if "$TALLY" count --db t.sqlite --tally-key whole.key --share tr-1.share > both.out 2>&1; then
  fail "took a key and shares"; fi
grep -q "not both" both.out || { cat both.out; fail "key and shares together"; }

# no terminal and no passphrase file: says which option gives it
if command -v setsid > /dev/null; then
  if setsid -w "$TALLY" count --db t.sqlite --share tr-1.share --share tr-2.share \
    --share tr-3.share --share-passphrase-file p1 < /dev/null > notty.out 2>&1; then
    fail "counted without the passphrases"; fi
  grep -q "no terminal to ask the passphrase of share 2 of 5 (Bob, tr-2.share): give it with --share-passphrase-file" notty.out ||
    { cat notty.out; fail "no terminal: the share and the option are not named"; }
fi

# the joined key was never written: no file here holds a secret key
if grep -l "isoloir-secret-key" ./* 2> /dev/null | grep -v whole.key; then
  fail "a secret key file appeared"; fi
echo "1 passed, 0 failed"
