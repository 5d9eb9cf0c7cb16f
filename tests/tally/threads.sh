#!/bin/sh
# The work spread over threads gives what one thread gives: the journal verifier (verify,
# import, with the next source's signatures checked ahead) and the decryption (count, tracking
# codes, publish), run with ISOLOIR_THREADS=1 (the calling thread does everything, nothing
# ahead) and with 4 threads (more than the machine may have, so the batches really are shared
# out), compared byte for byte; a damaged ballot is named the same.
#   threads.sh TALLY GEN
# 2 kiosks and 1,500 ballots: journals longer than a verifier batch (1,024 rows) and more than
# five decryption batches (256 ciphertexts), so a batch dropped or counted twice changes the
# turnout, and one checked against the wrong rows shows as a problem.
set -eu
TALLY=$1 GEN=$2
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib.sh"
cd "$W"

"$GEN" gen e --kiosks 2 --ballots 1500 --jobs 1 > /dev/null || fail "the generator"
PKG="--package ../e/election.pkg --authority ../e/auth.pub"
KEY="--tally-key ../e/tally.key --passphrase-file ../e/pp"
SOURCE_DATE_EPOCH=1796860800 # 2026-12-10: the site carries this day, not today's
export SOURCE_DATE_EPOCH

# each run in its own folder, with the same names, so that the outputs can be compared
for t in 1 4; do
  mkdir r$t
  cd r$t
  export ISOLOIR_THREADS=$t
  "$TALLY" verify $PKG ../e/bundles/* > verify 2>&1 || { cat verify; fail "verify ($t)"; }
  "$TALLY" import --db t.sqlite $PKG ../e/bundles/* > import 2>&1 ||
    { cat import; fail "import ($t)"; }
  "$TALLY" count --db t.sqlite $KEY --format json > count.json 2> /dev/null || fail "count ($t)"
  "$TALLY" count --db t.sqlite $KEY --format csv > count.csv 2> /dev/null || fail "csv ($t)"
  "$TALLY" publish --db t.sqlite $KEY --out site > /dev/null 2>&1 || fail "publish ($t)"
  cd ..
done
unset ISOLOIR_THREADS

python3 - << 'EOF' || fail "the reference run does not count every ballot"
import json
d = json.load(open("r1/count.json"))
t = [b["turnout"] for b in d["ballots"]]
assert t[0] == 1500 and t[1] + t[2] == 1500, t
EOF
for f in verify import count.json count.csv; do
  cmp -s r1/$f r4/$f || { diff r1/$f r4/$f | head; fail "$f differs with 4 threads"; }
done
diff -r r1/site r4/site > /dev/null || { diff -r r1/site r4/site | head -5; fail "the site differs"; }
"$TALLY" tracking --db r1/t.sqlite --out codes.csv || fail "tally tracking"
cmp -s codes.csv r4/site/data/tracking-codes.csv || fail "the published codes are not the list's"

# Two ballots damaged in the database (a byte of each ciphertext flipped, their stored hash
# kept, so they keep their place in the stream): the count stops and names the first of the
# two in the stream, with one thread as with four.
python3 - << 'EOF' || fail "damaging two ballots"
import sqlite3
db = sqlite3.connect("r1/t.sqlite")
rows = db.execute("SELECT kiosk, seq, ct FROM ballots ORDER BY ct_hash").fetchall()
for k, s, ct in (rows[100], rows[300]):
    ct = bytearray(ct); ct[60] ^= 1
    db.execute("UPDATE ballots SET ct = ? WHERE kiosk = ? AND seq = ?", (bytes(ct), k, s))
db.commit()
open("first", "w").write(str(rows[100][1]))
EOF
for t in 1 4; do
  if ISOLOIR_THREADS=$t "$TALLY" count --db r1/t.sqlite --tally-key e/tally.key \
    --passphrase-file e/pp > bad$t 2>&1; then
    fail "a damaged ballot was counted ($t)"
  fi
  grep -q "the ballot in row $(cat first) of kiosk .* cannot be opened" bad$t ||
    { cat bad$t; fail "the first damaged ballot is not the one named ($t)"; }
done
grep -v decrypting bad1 > b1 || true
grep -v decrypting bad4 > b4 || true
cmp -s b1 b4 || { diff b1 b4; fail "the error differs with 4 threads"; }
echo "threads: same results with 1 and 4 threads"
