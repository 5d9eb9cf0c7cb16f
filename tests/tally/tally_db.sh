#!/bin/sh
# The tally database and the checks across exports, on kiosk exports made by the generator
# (real journals: sealed, signed; real bundles: written and read back).
#   tally_db.sh TALLY GEN CASE
# CASE: idempotent | extension | fork | override | shared | json | tracking | smoke
set -eu
TALLY=$1 GEN=$2 CASE=$3
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
fail() { echo "FAIL ($CASE): $*"; exit 1; }

# 3 kiosks, 90 ballots; every kiosk exports at a pause (0001) and at the close (0002);
# kiosk 2's journal is also copied at the pause and continued differently (fork/).
"$GEN" gen "$W/e" --kiosks 3 --ballots 90 --interim --fork 2 --jobs 1 > /dev/null ||
  fail "the generator"
cd "$W/e"
PKG="--package election.pkg --authority auth.pub"
KEY="--tally-key tally.key --passphrase-file pp"
interim() { ls -d bundles/*-0001; }
closing() { ls -d bundles/*-0002; }
k2_fork=$(ls -d fork/*)
k2_closing=$(ls -d bundles/"$(basename "$k2_fork")")

case $CASE in
idempotent)
  "$TALLY" import --db t.sqlite $PKG $(closing) > out1 || { cat out1; fail "first import"; }
  "$TALLY" count --db t.sqlite $KEY --format csv > c1 2> /dev/null || fail "count"
  before=$(cksum < t.sqlite)
  "$TALLY" import --db t.sqlite $PKG $(closing) > out2 || { cat out2; fail "second import"; }
  [ "$(grep -c 'already imported' out2)" = 3 ] || { cat out2; fail "not recognised as imported"; }
  grep -q ' new, ' out2 && fail "rows were taken again"
  "$TALLY" count --db t.sqlite $KEY --format csv > c2 2> /dev/null || fail "count again"
  cmp -s c1 c2 || fail "a second import changed the count"
  # the sources table has the three closing exports once each
  "$TALLY" count --db t.sqlite $KEY --format json 2> /dev/null > j
  python3 -c 'import json,sys; d=json.load(open("j")); assert len(d["verification"]["sources"]) == 3, d["verification"]' ||
    fail "sources recorded twice"
  [ "$before" ] || fail "no database"
  ;;
extension)
  "$TALLY" import --db t.sqlite $PKG $(interim) > o1 || { cat o1; fail "interim import"; }
  grep -q '15 ballots, 15 new' o1 || { cat o1; fail "interim exports: 15 ballots each"; }
  "$TALLY" import --db t.sqlite $PKG $(closing) > o2 || { cat o2; fail "closing import"; }
  [ "$(grep -c '30 ballots, 15 new, sound' o2)" = 3 ] || { cat o2; fail "only the new rows"; }
  # an earlier export after the later one: a prefix, nothing new
  rm t.sqlite*
  "$TALLY" import --db t.sqlite $PKG $(closing) $(interim) > o3 || { cat o3; fail "reverse"; }
  [ "$(grep -c '15 ballots, 0 new, sound' o3)" = 3 ] || { cat o3; fail "prefix not recognised"; }
  "$TALLY" count --db t.sqlite $KEY --format json 2> /dev/null > j || fail "count"
  python3 -c '
import json; d = json.load(open("j"))
t = [b["turnout"] for b in d["ballots"]]
assert t[0] == 90 and t[1] + t[2] == 90, t
assert sorted(k["ballots"] for k in d["turnout_per_kiosk"]) == [30, 30, 30]' || fail "turnout"
  ;;
fork)
  "$TALLY" import --db t.sqlite $PKG $(closing) > o1 || fail "closing import"
  cp t.sqlite before.sqlite
  if "$TALLY" import --db t.sqlite $PKG "$k2_fork" > o2; then fail "a fork was imported"; fi
  grep -q "REFUSED" o2 || { cat o2; fail "no refusal"; }
  grep -q "row [0-9]*: fork: kiosk .* (kiosk-002)" o2 || { cat o2; fail "the fork is not named"; }
  "$TALLY" count --db t.sqlite $KEY --format csv > c1 2> /dev/null
  "$TALLY" count --db before.sqlite $KEY --format csv > c0 2> /dev/null
  cmp -s c0 c1 || fail "a refused import changed the database"
  # tally verify sees the same fork, in either order
  if "$TALLY" verify $PKG "$k2_fork" "$k2_closing" > v; then fail "verify passed a fork"; fi
  grep -q "fork: kiosk .* (kiosk-002)" v || { cat v; fail "verify does not name the fork"; }
  if "$TALLY" count $PKG $KEY "$k2_closing" "$k2_fork" > v2 2>&1; then fail "counted a fork"; fi
  ;;
override)
  "$TALLY" import --db t.sqlite $PKG $(closing) > /dev/null || fail "closing import"
  "$TALLY" import --db t.sqlite $PKG --override "the fork was a test kiosk copy" --by "Ana Pérez" \
    "$k2_fork" > o || { cat o; fail "override refused"; }
  grep -q "imported DESPITE 1 problem, by override" o || { cat o; fail "override not said"; }
  "$TALLY" count --db t.sqlite $KEY > r || fail "count"
  grep -q '^OVERRIDE .* by Ana Pérez for fork/.*: "the fork was a test kiosk copy"' r ||
    { cat r; fail "the override is not in the report"; }
  grep -q "fork: kiosk" r || fail "the override's problems are not in the report"
  "$TALLY" count --db t.sqlite $KEY --format json 2> /dev/null > j
  python3 -c '
import json; d = json.load(open("j")); o = d["verification"]["overrides"]
assert len(o) == 1 and o[0]["by"] == "Ana Pérez" and "fork" in o[0]["problems"], o' ||
    fail "override in JSON"
  "$TALLY" count --db t.sqlite $KEY --format csv 2> e > /dev/null
  grep -q OVERRIDE e || fail "the override is not in the CSV run's summary"
  ;;
shared)
  "$GEN" gen "$W/r" --kiosks 2 --ballots 20 --replay --jobs 1 > /dev/null || fail "generator"
  cd "$W/r"
  if "$TALLY" verify $PKG bundles/* > v; then cat v; fail "a replayed ballot passed"; fi
  grep -q "shared-ballot: kiosk kiosk-00[12] holds the same ballot (ciphertext hash [0-9a-f]\{64\})" v ||
    { cat v; fail "shared ballot not named"; }
  if "$TALLY" import --db t.sqlite $PKG bundles/* > o; then fail "import accepted it"; fi
  grep -q REFUSED o || fail "not refused"
  ;;
json)
  "$TALLY" import --db t.sqlite $PKG $(closing) > /dev/null || fail "import"
  "$TALLY" count --db t.sqlite $KEY --format json > j 2> /dev/null || fail "count"
  python3 -m json.tool j > /dev/null || { head -c 600 j; fail "invalid JSON"; }
  python3 -c '
import json; d = json.load(open("j"))
assert set(d["election"]["name"]) == {"fr", "nl", "en"}
assert d["tie_break"][-1] == "id" and d["tie_break"].count("id") == 1
for b in d["ballots"]:
    assert set(b["name"]) == {"fr", "nl", "en"}
    spent = sum(p["cost_cents"] for p in b["projects"] if p["selected"])
    assert spent == b["spent_cents"] <= b["budget_cents"], b
    for p in b["projects"]:
        assert (p["round"] > 0) == p["selected"] and p["why"], p
        assert p["phase"] in ("greedy", "equal-shares", "completion", "none")
assert d["ballots"][1]["rule"].startswith("Method of Equal Shares")' || fail "JSON content"
  # kiosks with no export imported are named
  "$TALLY" import --db one.sqlite $PKG "$(closing | head -1)" > /dev/null || fail "one import"
  "$TALLY" count --db one.sqlite $KEY --format json > j1 2> /dev/null || fail "count one"
  python3 -c 'import json; assert len(json.load(open("j1"))["kiosks_not_imported"]) == 2' ||
    fail "kiosks not imported"
  # the same count from the sources directly gives the same projects
  "$TALLY" count $PKG $KEY --format csv $(closing) $(interim) > c1 2> /dev/null || fail "direct"
  "$TALLY" count --db t.sqlite $KEY --format csv > c2 2> /dev/null
  cmp -s c1 c2 || fail "direct count and database count differ"
  ;;
tracking)
  "$TALLY" import --db t.sqlite $PKG $(closing) > /dev/null || fail "import"
  "$TALLY" tracking --db t.sqlite --out codes.csv || fail "tracking"
  [ "$(grep -vc '^#' codes.csv)" = 90 ] || fail "not 90 codes"
  grep -v '^#' codes.csv | grep -qvE '^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{3},[0-9a-f]{64}$' &&
    fail "a line is not CODE,HASH"
  grep -v '^#' codes.csv | LC_ALL=C sort -c || fail "not sorted"
  # every code is the one each ciphertext gives (core/tracking), checked with an independent
  # computation of the hash part: BLAKE2b-256 of the ciphertext
  python3 - << 'EOF' || fail "codes do not match the ciphertexts"
import hashlib, sqlite3
db = sqlite3.connect("t.sqlite")
want = {hashlib.blake2b(ct, digest_size=32).hexdigest() for (ct,) in db.execute("SELECT ct FROM ballots")}
got = {l.split(",")[1].strip() for l in open("codes.csv") if not l.startswith("#")}
assert want == got and len(got) == 90
A = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
for (ct,) in db.execute("SELECT ct FROM ballots"):
    h = hashlib.blake2b(b"isoloir/tracking" + ct, digest_size=32).digest()
    bits = int.from_bytes(h[:7], "big") >> 6
    code = "".join(A[(bits >> (5 * (9 - i))) & 31] for i in range(10))
    line = [l for l in open("codes.csv") if l.startswith(code[:4] + "-" + code[4:8] + "-" + code[8:10])]
    assert line, code
EOF
  ;;
smoke)
  "$GEN" run "$TALLY" "$W/e" > bench.out || { cat bench.out; fail "the benchmark run"; }
  grep -q "tally import .* exit 0" bench.out || { cat bench.out; fail "import in the benchmark"; }
  grep -q "tally count .* exit 0" bench.out || { cat bench.out; fail "count in the benchmark"; }
  grep -q "x bare crypto" bench.out || fail "no comparison"
  ;;
*)
  fail "unknown case"
  ;;
esac
echo "1 passed, 0 failed"
