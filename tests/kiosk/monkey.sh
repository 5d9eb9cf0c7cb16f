#!/bin/sh
# monkey.sh — thousands of random touches and keys on the real kiosk (the `monkey` script
# command of kiosk/app.c), on the demo election (knapsack and approval ballots) and on the rules
# test election (cumulative, ranking, approval), with speech on: careless voters, and officials
# who enable each next voter with F9 (and the PIN when their session has ended). After every
# event the kiosk checks that no ballot was cast without the confirmation shown and answered,
# that the session is valid (its language one of the election's, each ballot within its rule:
# no maximum passed, the budget left never negative, no vote without an enable) and that no
# ballot outnumbers the enables; at the end the journal must verify and hold exactly as many
# ballots as the kiosk recorded after a confirmation.
#   monkey.sh BIN SRC JOURNAL_VOTES
# The seed is fixed, and printed; MONKEY_SEED=N and MONKEY_EVENTS=N run another (a failure
# prints the script line that replays it).
set -eu
BIN=$1 SRC=$2 VOTES=$3
SEED=${MONKEY_SEED:-20261202}
EVENTS=${MONKEY_EVENTS:-3000}
cd "$SRC"
. tests/lib.sh
echo "monkey: seed $SEED, $EVENTS events per election (replay: MONKEY_SEED=$SEED)"

n=0
for e in demo rules; do
  src=assets/demo
  [ "$e" = demo ] || src=tests/voters/rules
  d="$W/$e"
  make_election "$BIN" "$src" "$d"
  printf '%s\nmonkey %s %s 246810 97531086\n' "$OPEN_POLLS" "$SEED" "$EVENTS" > "$d/script"
  "$BIN/isoloir-kiosk" --demo --windowed --size 1280x800 --package "$d/election.pkg" \
    --authority "$d/auth.pub" --kiosk-key "$d/kiosk.key" --passphrase-file "$d/pp" \
    --journal "$d/journal.sqlite" --script "$d/script" --shots "$d" \
    --speech-transcript /dev/null > "$d/out" 2> "$d/kiosk.err" ||
    { cat "$d/out" "$d/kiosk.err"; fail "$e: the monkey broke an invariant (seed $SEED)"; }
  cat "$d/out"
  cast=$(sed -n 's/^monkey .*, \([0-9]*\) ballots cast$/\1/p' "$d/out")
  [ -n "$cast" ] || { cat "$d/out"; fail "$e: the monkey did not report"; }
  "$VOTES" "$d/journal.sqlite" "$d/election.pkg" "$d/auth.pub" "$d/tally.key" "$d/pp" \
    > "$d/got" 2> "$d/codes" || { cat "$d/codes"; fail "$e: the journal does not verify"; }
  got=$(grep -c '^vote' "$d/got" || true)
  [ "$got" -eq "$cast" ] ||
    fail "$e: the journal holds $got ballots, the kiosk recorded $cast after a confirmation"
  [ "$cast" -gt 0 ] || fail "$e: no voter got to the end (seed $SEED): the monkey tests little"
  n=$((n + 1))
done
echo "$n passed, 0 failed"
