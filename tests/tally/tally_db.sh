#!/bin/sh
# The tally database and the checks across exports, on kiosk exports made by the generator
# (real journals: sealed, signed; real bundles: written and read back).
#   tally_db.sh TALLY GEN CASE
# CASE: idempotent | extension | fork | override | shared | json | tracking | smoke | rollback |
#       kind | junk | clock
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
  # a new database has 64 kB pages: each import dirties most of the hash index's pages
  python3 -c 'import sqlite3; p = sqlite3.connect("t.sqlite").execute("PRAGMA page_size").fetchone()[0]; assert p == 65536, p' ||
    fail "the tally database was not created with 64 kB pages"
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
rollback)
  # a closed journal cut after row 40, as an older copy of it would be: guards put back,
  # every remaining row validly signed; only the missing close record shows
  "$GEN" gen "$W/c" --kiosks 1 --ballots 50 --interim --jobs 1 > /dev/null || fail "generator"
  cd "$W/c"
  python3 - << 'EOF' || fail "cutting the journal"
import shutil, sqlite3
shutil.copy("journals/kiosk-001.sqlite", "cut.sqlite")
db = sqlite3.connect("cut.sqlite")
guards = [sql for (sql,) in db.execute("SELECT sql FROM sqlite_schema WHERE type = 'trigger'")]
assert len(guards) == 3
for (name,) in db.execute("SELECT name FROM sqlite_schema WHERE type = 'trigger'").fetchall():
    db.execute("DROP TRIGGER " + name)
db.execute("DELETE FROM rows WHERE seq > 40")
for sql in guards:
    db.execute(sql)
db.commit()
assert db.execute("SELECT max(seq), sum(kind = 3) FROM rows").fetchone() == (40, 36)
EOF
  KEY1="--accept-unclosed kiosk-001 --reason"
  WHY="kiosk-001 broke at 15:10; the officials' report of 36 ballots is signed"
  if "$TALLY" verify $PKG cut.sqlite > v 2>&1; then cat v; fail "verify called a cut journal sound"; fi
  grep -q "kiosk kiosk-001 (.*): missing-close: its journal ends at row 40 with polls open" v ||
    { cat v; fail "verify does not name the kiosk and the missing close"; }
  grep -q "PROBLEMS FOUND" v || { cat v; fail "no verdict"; }
  if "$TALLY" count $PKG $KEY cut.sqlite > c 2>&1; then cat c; fail "a cut journal was counted"; fi
  grep -q "missing-close" c && grep -q "nothing was counted" c || { cat c; fail "count message"; }
  # accepted explicitly: sound, counted, and the reason in the verdict and every report
  "$TALLY" verify $PKG $KEY1 "$WHY" cut.sqlite > v2 2>&1 || { cat v2; fail "accepted verify"; }
  grep -q "ACCEPTED WITHOUT A CLOSE RECORD (polls open, rows 1..40, 36 ballots), by .*: \"$WHY\"" v2 ||
    { cat v2; fail "the reason is not in verify's output"; }
  grep -q "all sound, except 1 kiosk ACCEPTED WITHOUT A CLOSE RECORD" v2 ||
    { cat v2; fail "the verdict does not say it"; }
  "$TALLY" count $PKG $KEY $KEY1 "$WHY" cut.sqlite > r 2>&1 || { cat r; fail "accepted count"; }
  grep -q "^ACCEPTED WITHOUT A CLOSE RECORD: kiosk kiosk-001 .*\"$WHY\"" r ||
    { cat r; fail "the reason is not in the report"; }
  grep -q "36 ballots" r || { cat r; fail "not the 36 ballots"; }
  # the tally database keeps the acceptance; every report and the tracking list print it
  "$TALLY" import --db t.sqlite $PKG cut.sqlite > i || { cat i; fail "import"; }
  grep -q "missing-close" i || { cat i; fail "import does not say the close is missing"; }
  if "$TALLY" count --db t.sqlite $KEY > c2 2>&1; then fail "count --db counted it"; fi
  grep -q "kiosk kiosk-001 (.*): missing-close" c2 || { cat c2; fail "count --db message"; }
  if "$TALLY" tracking --db t.sqlite --out codes.csv 2> tr; then fail "tracking published it"; fi
  [ ! -e codes.csv ] || fail "a tracking list was written"
  "$TALLY" count --db t.sqlite $KEY $KEY1 "$WHY" --by "Ana Pérez" --format json > j 2> /dev/null ||
    fail "count --db accepted"
  WHY="$WHY" python3 -c '
import json, os; d = json.load(open("j")); a = d["verification"]["accepted_without_close"]
assert len(a) == 1 and a[0]["kiosk"] == "kiosk-001" and a[0]["reason"] == os.environ["WHY"], a
assert a[0]["by"] == "Ana Pérez" and a[0]["ballots"] == 36, a' || fail "JSON"
  "$TALLY" count --db t.sqlite $KEY --format csv > /dev/null 2> e || fail "count --db again"
  grep -q "ACCEPTED WITHOUT A CLOSE RECORD: kiosk kiosk-001 .* by Ana Pérez" e ||
    { cat e; fail "the stored acceptance is not in the CSV run's summary"; }
  "$TALLY" tracking --db t.sqlite --out codes.csv || fail "tracking"
  grep -q "^# kiosk kiosk-001 counted WITHOUT a close record .*$WHY" codes.csv ||
    { head -3 codes.csv; fail "the tracking list does not say it"; }
  # the closed journal itself needs nothing
  "$TALLY" verify $PKG journals/kiosk-001.sqlite > v3 || { cat v3; fail "the closed journal"; }
  grep -q "ACCEPTED" v3 && fail "an acceptance where none was given"
  ;;
kind)
  "$GEN" gen "$W/k" --kiosks 2 --ballots 20 --interim --relabel --jobs 1 > /dev/null ||
    fail "generator"
  cd "$W/k"
  "$TALLY" verify $PKG bundles/* > v || { cat v; fail "the true exports"; }
  for b in relabel/*; do
    if "$TALLY" verify $PKG "$b" > v 2>&1; then cat v; fail "a relabelled export passed: $b"; fi
    grep -q "wrong-kind: the manifest calls this an* \(closing\|interim\) export" v ||
      { cat v; fail "the kind is not named: $b"; }
  done
  grep -q "interim export, but the journal's polls are closed" v || { cat v; fail "closing as interim"; }
  ;;
junk)
  # 100,000 rows of junk: every problem is counted, a few of each kind shown, the rest summed up
  python3 - << 'EOF' || fail "making the junk journal"
import os, random, sqlite3
random.seed(7)
db = sqlite3.connect("junk.sqlite")
db.execute("CREATE TABLE rows(seq INTEGER PRIMARY KEY, kind INTEGER NOT NULL, ctx BLOB NOT NULL,"
           " prev BLOB NOT NULL, payload BLOB NOT NULL, hash BLOB NOT NULL, sig BLOB NOT NULL) STRICT")
db.executemany("INSERT INTO rows VALUES(?,?,?,?,?,?,?)",
               ((i, random.randint(1, 9), os.urandom(32), os.urandom(32), os.urandom(40),
                 os.urandom(32), os.urandom(64)) for i in range(1, 100001)))
db.commit()
EOF
  if "$TALLY" verify $PKG junk.sqlite > v 2>&1; then fail "junk passed"; fi
  n=$(wc -l < v)
  [ "$n" -lt 200 ] || { head -40 v; fail "$n lines for a junk journal"; }
  grep -q "broken-chain: [0-9]* more problems of this kind not shown" v ||
    { cat v; fail "no summary of the problems not shown"; }
  ;;
clock)
  "$GEN" gen "$W/t" --kiosks 2 --ballots 20 --clock 1 --jobs 1 > /dev/null || fail "generator"
  cd "$W/t"
  "$TALLY" verify $PKG bundles/* > v || { cat v; fail "verify (a wrong clock is not a problem)"; }
  grep -q "time: kiosk kiosk-001: [0-9]* rows* dated outside the voting period .* (first: row 2, open at 20" v ||
    { cat v; fail "the rows outside the voting period are not named"; }
  grep -q "time: kiosk kiosk-001: polls were open from 2020-.* to 2026-.*, longer than the voting period" v ||
    { cat v; fail "the implausible polls period is not named"; }
  grep -q "time: kiosk kiosk-002" v && { cat v; fail "a note on the kiosk whose clock was right"; }
  "$TALLY" import --db t.sqlite $PKG bundles/* > /dev/null || fail "import"
  "$TALLY" count --db t.sqlite $KEY > r 2>&1 || { cat r; fail "count"; }
  grep -q "^TIME: kiosk kiosk-001: .* outside the voting period" r ||
    { cat r; fail "the report does not say it"; }
  "$TALLY" count --db t.sqlite $KEY --format json 2> /dev/null > j || fail "json"
  python3 -c '
import json; n = json.load(open("j"))["verification"]["time_notes"]
assert len(n) == 2 and all(x["kiosk"] == "kiosk-001" for x in n), n' || fail "JSON time notes"
  ;;
*)
  fail "unknown case"
  ;;
esac
echo "1 passed, 0 failed"
