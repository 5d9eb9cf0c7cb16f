#!/bin/sh
# Conformance of `tally pb-count` with the outcomes cities published, on the pabulib corpus
# (../shared/pabulib/corpus.tar.xz: 1,303 real elections from the Participatory Budgeting
# Library, pabulib.org). The corpus is unpacked into a scratch folder, every file is counted
# with the rule it names and no option, and the outcome is compared with its `selected` column.
#   conformance.sh TALLY SHARED_DIR EXPECTED [JOBS]
# EXPECTED lists the files that do not reproduce with the defaults, one per line:
#   FILE|FLAGS|REASON
# FLAGS: the pb-count options with which the file reproduces (checked), or "-" when nothing
# does (checked too: such a file must still differ, so the list stays true). Every file not
# listed must reproduce: one that stops reproducing fails the test.
# Prints reproduced/total per (vote_type, rule); exit 77 (skipped) without the corpus.
set -eu
TALLY=$1 SHARED=$2 EXPECTED=$3 JOBS=${4:-2}
CORPUS=$SHARED/pabulib/corpus.tar.xz
if [ ! -f "$CORPUS" ]; then
  echo "skipped: $CORPUS is absent (the pabulib corpus is not part of the repository)"
  exit 77
fi
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
tar -xJf "$CORPUS" -C "$W"
mkdir "$W/out"
# one line per file: verdict of the default count
ls "$W/corpus" | grep '\.pb$' | sed 's/\.pb$//' > "$W/files"
export TALLY W
xargs -P "$JOBS" -I{} sh -c '
  "$TALLY" pb-count --format json "$W/corpus/{}.pb" > "$W/out/{}.json" 2> "$W/out/{}.err"
  echo $? > "$W/out/{}.rc"' < "$W/files"
fail=0
: > "$W/summary"
while read -r f; do
  vt=$(grep -a -m1 '^vote_type;' "$W/corpus/$f.pb" | cut -d';' -f2 | tr -d '\r"')
  ru=$(grep -a -m1 '^rule;' "$W/corpus/$f.pb" | cut -d';' -f2 | tr -d '\r"')
  verdict=$(sed -n 's/.*"verdict":"\([a-z-]*\)".*/\1/p' "$W/out/$f.json")
  [ -n "$verdict" ] || verdict="error: $(cat "$W/out/$f.err")"
  line=$(grep "^$f|" "$EXPECTED" || true)
  status=same
  if [ "$verdict" != same ]; then
    if [ -z "$line" ]; then
      echo "FAIL: $f no longer reproduces the published outcome ($verdict)"
      fail=1
      status=regressed
    else
      flags=$(echo "$line" | cut -d'|' -f2)
      if [ "$flags" != - ]; then
        # shellcheck disable=SC2086
        if "$TALLY" pb-count $flags "$W/corpus/$f.pb" > "$W/alt" 2>&1; then
          status=explained-by-option
        else
          echo "FAIL: $f: listed as reproduced with \"$flags\", which no longer does:"
          tail -3 "$W/alt"
          fail=1
          status=regressed
        fi
      else
        status=explained
      fi
    fi
  elif [ -n "$line" ] && [ "$(echo "$line" | cut -d'|' -f2)" = - ]; then
    echo "FAIL: $f now reproduces the published outcome: remove it from $EXPECTED and docs/conformance.md"
    fail=1
  fi
  echo "$vt $ru $status" >> "$W/summary"
done < "$W/files"
while IFS='|' read -r f _ _; do
  case $f in '#'* | '') continue ;; esac
  [ -f "$W/corpus/$f.pb" ] || { echo "FAIL: $EXPECTED names $f, which is not in the corpus"; fail=1; }
done < "$EXPECTED"
printf '%-12s %-18s %10s %10s %10s %6s\n' vote_type rule reproduced "by option" explained files
awk '{k=$1" "$2; t[k]++; if ($3=="same") s[k]++; if ($3=="explained-by-option") o[k]++;
      if ($3=="explained") x[k]++}
     END {for (k in t) {split(k, a, " "); printf "%-12s %-18s %10d %10d %10d %6d\n", a[1], a[2],
          s[k], o[k], x[k], t[k]}}' "$W/summary" | sort
awk '{T++; if ($3=="same") S++; if ($3=="explained-by-option") O++; if ($3=="explained") X++}
     END {printf "%-12s %-18s %10d %10d %10d %6d\n", "all", "", S, O, X, T}' "$W/summary"
exit $fail
