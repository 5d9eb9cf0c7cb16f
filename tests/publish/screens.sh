#!/bin/sh
# screens.sh — makes docs/screens/publish-*.png: the published site of the generator's test
# election (3 kiosks, 90 ballots) in headless Chromium, in the three languages.
#   sh tests/publish/screens.sh [BUILD_DIR]      (default build/dev)
set -eu
cd "$(dirname "$0")/../.."
B=$(cd "${1:-build/dev}" && pwd)
OUT=$(pwd)/docs/screens
. tests/lib.sh
cd "$W"
"$B/bench/tally_bench" gen e --kiosks 3 --ballots 90 --jobs 1 > /dev/null
"$B/bin/tally" import --db t.sqlite --package e/election.pkg --authority e/auth.pub e/bundles/* \
  > /dev/null
SOURCE_DATE_EPOCH=1796860800 "$B/bin/tally" publish --db t.sqlite --tally-key e/tally.key \
  --passphrase-file e/pp --out site 2> /dev/null
code=$(grep -v '^#' site/data/tracking-codes.csv | sed -n 7p | cut -d, -f1)
typo=$(echo "$code" | cut -c1-3)$(echo "$code" | cut -c5)$(echo "$code" | cut -c4)$(echo "$code" | cut -c6-)
shot() { # name page height
  timeout 120 chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars \
    --no-first-run --disable-background-networking --user-data-dir="$W/profile" \
    --virtual-time-budget=3000 --window-size=1000,"$3" --screenshot="$OUT/publish-$1.png" \
    "file://$W/site/$2" > /dev/null 2>&1
  echo "publish-$1.png"
}
shot home-fr fr/index.html 760
shot ballot-mes-en en/ballot-nord.html 1450
shot ballot-greedy-nl nl/ballot-city.html 1300
shot turnout-fr fr/turnout.html 1000
shot track-found-en "en/track.html?code=$(echo "$code" | tr A-Z a-z)" 700
shot track-typo-fr "fr/track.html?code=$typo" 700
shot data-nl nl/data.html 1000
shot audit-en en/audit.html 1700
