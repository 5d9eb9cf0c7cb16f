#!/bin/sh
# tally pb-count on small hand-written pabulib files: the rule each META names, the quirks of
# real files (a project named twice in a ballot, a votes column or num_votes that disagree with
# the ballots, a project re-costed above the budget) and the exit codes of docs/tally.md.
#   pb_count.sh TALLY
set -u
TALLY=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 1
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# expect CODE PATTERN ARGS...: exit code CODE and PATTERN in the output
expect() {
  code=$1 pat=$2
  shift 2
  "$TALLY" pb-count "$@" > "$W/out" 2>&1
  rc=$?
  [ "$rc" = "$code" ] || { fail "pb-count $* exited $rc, not $code"; cat "$W/out"; return; }
  grep -q -- "$pat" "$W/out" || { fail "pb-count $*: no \"$pat\" in"; cat "$W/out"; }
}
# pb FILE RULE NUM_VOTES SELECTED(A,B,C,D) VOTES_COLUMN(A,B,C,D) EXTRA_META: A 60, B 50, C 30,
# D 2000 (above the budget of 100); 4 ballots: A,B  A,C  B,C  A
pb() {
  sa=${4%%,*} r=${4#*,} sb=${r%%,*} r=${r#*,} sc=${r%%,*} sd=${r#*,}
  va=${5%%,*} r=${5#*,} vb=${r%%,*} r=${r#*,} vc=${r%%,*} vd=${r#*,}
  cat > "$W/$1" <<PB
META
key;value
description;test
num_projects;4
num_votes;$3
budget;100
vote_type;approval
rule;$2
$6
PROJECTS
project_id;cost;votes;name;selected
A;60;$va;a;$sa
B;50;$vb;b;$sb
C;30;$vc;c;$sc
D;2000;$vd;d;$sd
VOTES
voter_id;vote
1;A,B
2;A,C
3;B,C
4;A
PB
}
# greedy (votes A 3, B 2, C 2): A, then B does not fit (skipped), C fits: A, C
pb g.pb greedy 4 1,0,1,0 3,2,2,0 ""
expect 0 "same outcome as published" g.pb
# greedy-no-skip stops at B: A alone
pb ns.pb greedy-no-skip 4 1,0,0,0 3,2,2,0 ""
expect 0 "same outcome as published" ns.pb
expect 1 "DIFFERENT" ns.pb --rule greedy
# greedy-threshold: C's 2 votes are below 3, so A alone
pb t.pb greedy-threshold 4 1,0,0,0 3,2,2,0 "min_project_score_threshold;3"
expect 0 "score of at least 3" t.pb
# a ballot naming A twice counts it once, and is reported with its line
pb d.pb greedy 4 1,0,1,0 3,2,2,0 ""
sed -i 's/^4;A$/4;A,A/' "$W/d.pb"
expect 0 "first: line 21, project A" d.pb
# the votes column disagrees with the ballots
pb v.pb greedy 4 1,0,1,0 3,2,9,0 ""
expect 0 "votes column disagrees with the ballots for 1 project (first: C, column 9" v.pb
# a file cut inside VOTES (num_votes 5, 4 ballots) never passes as the same outcome
pb n.pb greedy 5 1,0,1,0 3,2,2,0 ""
expect 1 "CANNOT CONFIRM" n.pb
expect 1 "num_votes 5 but holds 4 ballots" n.pb
# a project re-costed above the budget is named
expect 0 "project D costs more than the whole budget" g.pb
# --exclusive: A and C exclude each other, so A then B? B does not fit: A alone, no C
expect 1 "C (the city funded it, we do not)" g.pb --exclusive A,C
# MES with Add1, both stops, and the comparison step say what ran
expect 0 "keep raising while the outcome fits the budget" g.pb --rule mes-add1
expect 0 "first exhaustive outcome" g.pb --rule mes-add1 --add1-stop exhaustive
expect 0 "comparison with greedy by votes: " g.pb --rule mes-add1 --comparison
# exit codes: usage errors are 2
expect 2 "usage" g.pb --format xml
expect 2 "usage" g.pb --rule nonsense
expect 2 "does not have" g.pb --exclusive A,Z
expect 2 "greedy rules only" g.pb --rule mes --threshold 3
pb c.pb greedy 4 1,0,1,0 3,2,2,0 ""
sed -i 's/^vote_type;approval/vote_type;cumulative/; s/^voter_id;vote$/voter_id;vote;points/; s/^\([0-9]\);\([A-D,]*\)$/\1;\2;1/' "$W/c.pb"
sed -i 's/^\([0-9]\);\([A-D]\),\([A-D]\);1$/\1;\2,\3;1,1/' "$W/c.pb"
expect 2 "counts approval ballots" c.pb --rule mes
# our own open data can hold more ballots than a spreadsheet: 150,000 ballots (A,C 112,500 times
# and B 37,500 times) are read whole, and greedy funds A then C
pb big.pb greedy 150000 1,0,1,0 112500,37500,112500,0 ""
sed -i '/^[0-9];/d' "$W/big.pb"
awk 'BEGIN { for (i = 1; i <= 150000; i++) print i ";" (i % 4 ? "A,C" : "B") }' >> "$W/big.pb"
expect 0 "same outcome as published" big.pb
[ $fails = 0 ] || exit 1
echo "pb_count: all checks passed"
