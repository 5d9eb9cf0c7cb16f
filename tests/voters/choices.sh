# choices.sh — sourced by the scripted-voter tests on the demo election: a seeded random
# generator that lives in the calling shell, each voter's choices on the citywide knapsack
# ballot and their district's approval ballot (as script taps and as an expected line), and
# the comparison of the tally's counts with what the voters chose.
#
# The generator sets R instead of printing: called inside $(...) it would run in a subshell
# and its seed would never advance, so every voter would cast the same ballot.
#   rnd N           R = the next number in 0..N-1
#   voter_choices SCRIPT DISTRICT
#                   appends the taps for the two ballots (the citywide one first, after the
#                   how-to screen) to SCRIPT, and the line "vote city:R02,R09 nord:N01" to
#                   $W/expected; every project is chosen with probability 1/2, the citywide
#                   ones only while they fit in the budget, at most 3 in the district
#   check_counts COUNT_CSV
#                   fails unless, for every project of every ballot, `tally count --format
#                   csv` gives exactly the number of voters who chose it in $W/expected, and
#                   that number is not zero
# Needs $SRC (the source folder), $W, fail.
rnd() {
  seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
  R=$(( seed / 65536 % $1 ))
}

# The demo election's projects and citywide budget, read from its sources: "ID DISTRICT CENTS".
_projects=$(grep -a '^[A-Z][0-9][0-9];' "$SRC/assets/demo/projects.csv" |
  awk -F';' '{ print $1, ($2 == "" ? "city" : $2), $4 }')
[ "$(echo "$_projects" | wc -l)" -ge 20 ] || fail "cannot read the demo projects"
_budget=$(sed -n '/^\[ballot city\]/,/^\[/s/^budget *= *//p' "$SRC/assets/demo/election.conf" |
  tr -d ' ')
_budget=$((_budget * 100)) # cents
[ "$_budget" -gt 0 ] || fail "cannot read the demo citywide budget"

voter_choices() {
  _city="" _loc="" _n=0 _left=$_budget
  for _p in $(echo "$_projects" | awk '$2 == "city" { print $1 ":" $3 }'); do
    rnd 2
    if [ "$R" = 1 ] && [ "${_p#*:}" -le "$_left" ]; then
      echo "tap choose-${_p%:*}" >> "$1"
      _city="$_city,${_p%:*}" _left=$((_left - ${_p#*:}))
    fi
  done
  echo "tap next" >> "$1"
  for _p in $(echo "$_projects" | awk -v d="$2" '$2 == d { print $1 }'); do
    rnd 2
    if [ "$_n" -lt 3 ] && [ "$R" = 1 ]; then
      echo "tap choose-$_p" >> "$1"
      _loc="$_loc,$_p" _n=$((_n + 1))
    fi
  done
  echo "vote city:${_city#,} $2:${_loc#,}" >> "$W/expected"
}

check_counts() {
  # "BALLOT PROJECT VOTES" from the csv (the title is quoted and may hold commas)
  sed -n 's/^\([a-z0-9-]*\),\([A-Z0-9]*\),"\([^"]\|""\)*",[0-9]*,\([0-9]*\),.*/\1 \2 \4/p' \
    "$1" > "$W/counted"
  [ "$(wc -l < "$W/counted")" = "$(echo "$_projects" | wc -l)" ] ||
    { cat "$1"; fail "the count does not list every project once"; }
  while read -r _id _ballot _cost; do
    _want=$(grep -c "[:,]$_id\(,\| \|$\)" "$W/expected" || true)
    _got=$(awk -v b="$_ballot" -v p="$_id" '$1 == b && $2 == p { print $3 }' "$W/counted")
    [ "$_want" -gt 0 ] || fail "no voter chose $_id: the scripted votes do not vary enough"
    [ "$_want" = "$_got" ] ||
      fail "tally counts '$_got' votes for $_id ($_ballot), the voters gave $_want"
  done <<EOF
$_projects
EOF
}
