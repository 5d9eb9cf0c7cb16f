#!/bin/sh
# tally publish: the site, what it must never leak, and the site in a real browser.
#   publish.sh TALLY GEN CASE [CHROMIUM [NORM]]
# CASE:
#   site     the files, the pages' structure in every language, recount from the open data,
#            the same site twice, a failed publication leaves nothing
#   leaks    no tracking code or ciphertext hash outside the code list; ballots published as
#            sorted runs (the same whatever the import order); no time finer than the day,
#            even with an override logged
#   browser  headless Chromium on the site served on loopback and from file://: every page in
#            every language renders, every tracking code is found, a wrong one is not, typing
#            slips are forgiven or flagged, no console message, no request outside the folder
set -eu
TALLY=$1 GEN=$2 CASE=$3 CHROMIUM=${4:-chromium} NORM=${5:-}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib.sh"
cd "$W"

# 3 kiosks, 90 ballots, each kiosk exports at a pause and at the close; kiosk 2 also forks
"$GEN" gen e --kiosks 3 --ballots 90 --interim --fork 2 --jobs 1 > /dev/null || fail "the generator"
KEY="--tally-key e/tally.key --passphrase-file e/pp"
"$TALLY" import --db t.sqlite --package e/election.pkg --authority e/auth.pub \
  $(ls -d e/bundles/*-0002) > import.out || { cat import.out; fail "import"; }
SOURCE_DATE_EPOCH=1796860800 # 2026-12-10
export SOURCE_DATE_EPOCH
"$TALLY" publish --db t.sqlite $KEY --out site > publish.out 2> publish.err ||
  { cat publish.out publish.err; fail "publish"; }
"$TALLY" tracking --db t.sqlite --out codes.csv || fail "tally tracking"
grep -v '^#' codes.csv | cut -d, -f1 > codes.txt
[ "$(wc -l < codes.txt)" = 90 ] || fail "90 codes expected"

case $CASE in
site)
  for f in index.html style.css lookup.js data/B2SUMS data/election.pkg data/results.json \
    data/results.csv data/ballots.csv data/ballots.json data/tracking-codes.csv \
    data/verification.txt data/test-2026-city.pb data/test-2026-nord.pb data/test-2026-sud.pb; do
    [ -s "site/$f" ] || fail "site/$f is missing"
  done
  cmp -s codes.csv site/data/tracking-codes.csv || fail "the published code list differs"
  cmp -s e/election.pkg site/data/election.pkg || fail "the published package differs"
  [ "$(ls site/codes | wc -l)" = 1024 ] || fail "one code file per two-character prefix"
  # every code is in its prefix's file
  while read -r c; do
    c=$(echo "$c" | tr -d -)
    p=$(echo "$c" | cut -c1-2) r=$(echo "$c" | cut -c3-)
    grep -q "$r" "site/codes/$p.js" || fail "code $c is not in codes/$p.js"
  done < codes.txt
  (cd site/data && b2sum -l 256 --quiet -c B2SUMS) || fail "B2SUMS does not match the files"
  # pages: lang, one h1, table headers, charts with a title, the language switch
  for l in fr nl en; do
    for p in index turnout track data audit ballot-city ballot-nord ballot-sud; do
      f=site/$l/$p.html
      [ -s "$f" ] || fail "$f is missing"
      grep -q "^<html lang=\"$l\">" "$f" || fail "$f: no lang=\"$l\""
      [ "$(grep -c '<h1>' "$f")" = 1 ] || fail "$f: one h1 expected"
      for o in fr nl en; do
        [ $o = $l ] || grep -q "href=\"../$o/$p.html\" lang=\"$o\"" "$f" ||
          fail "$f: no switch to $o"
      done
      python3 - "$f" << 'EOF' || fail "$f: structure"
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
assert s.count("<table>") == s.count("<caption>"), "a table without caption"
assert s.count("<table>") <= s.count('<th scope="col"'), "a table without column headers"
assert s.count("<svg ") == s.count("<title id="), "a chart without a title"
assert "<img" not in s or re.search(r"<img[^>]*alt=", s), "an image without alt"
for u in re.findall(r'(?:href|src)="([^"]*)"', s):
    assert "://" not in u and not u.startswith("//") and not u.startswith("/"), u
EOF
    done
  done
  grep -q 'Vérifier mon code' site/fr/index.html || fail "French navigation"
  grep -q 'Mijn code controleren' site/nl/index.html || fail "Dutch navigation"
  grep -q 'Check your code' site/en/index.html || fail "English navigation"
  # the published outcome is the count's, and the open data recount to it
  "$TALLY" count --db t.sqlite $KEY --format json > count.json 2> /dev/null || fail "count"
  python3 - << 'EOF' || fail "results.json is not the count's outcome"
import json
c = json.load(open("count.json")); p = json.load(open("site/data/results.json"))
for a, b in zip(c["ballots"], p["ballots"]):
    assert a["id"] == b["id"] and a["turnout"] == b["turnout"], (a["id"], b["id"])
    assert a["spent_cents"] == b["spent_cents"]
    assert [x["selected"] for x in a["projects"]] == [x["selected"] for x in b["projects"]]
    assert [x["votes"] for x in a["projects"]] == [x["votes"] for x in b["projects"]]
assert sum(k["ballots"] for k in p["turnout_per_kiosk"]) == 90
EOF
  grep -o 'tally pb-count [^<]*' site/en/audit.html > recount.txt
  [ "$(wc -l < recount.txt)" = 3 ] || fail "three recount commands expected"
  while read -r cmd; do
    # shellcheck disable=SC2086
    set -- $cmd
    shift 2
    (cd site/data && "$TALLY" pb-count "$@" > /dev/null) || fail "recount differs: $cmd"
  done < recount.txt
  # MES: the equal-shares table and the more popular project not funded (nord: n1 > n2)
  grep -q 'Paid at most per supporter' site/en/ballot-nord.html || fail "no equal-shares table"
  # whatever the rule's variant funds, the page tells the truth about popularity: a project
  # with more votes than a funded one is named as not funded, or the page says there is none
  python3 - site/data/results.json > popular.txt << 'EOF'
import json, sys
b = [x for x in json.load(open(sys.argv[1]))["ballots"] if x["id"] == "nord"][0]
funded = [p for p in b["projects"] if p["selected"]]
for p in b["projects"]:
    if not p["selected"] and funded and p["votes"] > min(f["votes"] for f in funded):
        f = min(funded, key=lambda f: f["votes"])
        print("“%s” (%d votes) was not funded although “%s” (%d votes) was"
              % (p["title"]["en"], p["votes"], f["title"]["en"], f["votes"]))
        break
else:
    print("No project that was not funded had more votes than a funded one.")
EOF
  grep -q -F "$(cat popular.txt)" site/en/ballot-nord.html ||
    { cat popular.txt; fail "the more popular project not funded is not explained"; }
  # the citywide ballot is made so that greedy leaves p2 unfunded with more votes than p3,
  # which it funds: the page names both, with their votes
  python3 - site/data/results.json > city.txt << 'EOF'
import json, sys
b = [x for x in json.load(open(sys.argv[1]))["ballots"] if x["id"] == "city"][0]
v = {p["id"]: (p["votes"], p["selected"], p["title"]["en"]) for p in b["projects"]}
assert v["p2"][0] > v["p3"][0] and not v["p2"][1] and v["p3"][1], v
print("“%s” (%d votes) was not funded although “%s” (%d votes) was"
      % (v["p2"][2], v["p2"][0], v["p3"][2], v["p3"][0]))
EOF
  [ -s city.txt ] || fail "the test election no longer has a more popular project not funded"
  grep -q -F "$(cat city.txt)" site/en/ballot-city.html ||
    { cat city.txt; fail "the citywide page does not explain the more popular project not funded"; }
  # the same database gives the same site, byte for byte
  "$TALLY" publish --db t.sqlite $KEY --out site2 > /dev/null 2>&1 || fail "publish again"
  diff -r site site2 > /dev/null || fail "two publications differ"
  # an existing folder is refused; a wrong key leaves nothing behind
  if "$TALLY" publish --db t.sqlite $KEY --out site 2> err; then fail "published over a site"; fi
  grep -q "already exists" err || fail "no reason given: $(cat err)"
  "$GEN" gen other --kiosks 1 --ballots 1 --jobs 1 > /dev/null
  if "$TALLY" publish --db t.sqlite --tally-key other/tally.key --passphrase-file other/pp \
    --out site3 2> err; then fail "published with another tally key"; fi
  [ ! -e site3 ] && [ ! -e site3.partial ] || fail "a failed publication left files"
  ;;
leaks)
  # an override is logged (with its time) in the database: only its day may be published
  "$TALLY" import --db t.sqlite --package e/election.pkg --authority e/auth.pub \
    --override "kiosk 2 copy kept for the record" --by "Ana" "$(ls -d e/fork/*)" > /dev/null ||
    fail "override import"
  rm -rf site && "$TALLY" publish --db t.sqlite $KEY --out site > /dev/null 2>&1 ||
    fail "publish after override"
  grep -q 'OVERRIDE on .* by Ana' site/data/verification.txt || fail "override missing"
  grep -v '^#' site/data/tracking-codes.csv | cut -d, -f1 > codes.txt
  grep -v '^#' site/data/tracking-codes.csv | cut -d, -f2 > hashes.txt
  # 1. no code or ciphertext hash anywhere but the code list and the code files
  find site -type f ! -path 'site/data/tracking-codes.csv' ! -path 'site/codes/*' \
    ! -name election.pkg > others.txt
  tr -d - < codes.txt > compact.txt
  while read -r f; do
    if grep -q -F -f codes.txt "$f" || grep -q -F -f compact.txt "$f" ||
      grep -q -F -f hashes.txt "$f"; then fail "$f holds a tracking code or ciphertext hash"; fi
  done < others.txt
  # the code files hold only codes: no ballot content
  if grep -l -E 'p[0-9]|n[0-9]|s[0-9]' site/codes/*.js | grep -q .; then
    fail "a code file holds something else than codes"
  fi
  # 2. ballots as a multiset: each distinct ballot is one run, runs sorted by length
  for pb in site/data/*.pb; do
    sed -n '/^VOTES/,$p' "$pb" | tail -n +3 | cut -d';' -f2- > votes.txt
    python3 - votes.txt << 'EOF' || fail "$pb: ballots are not sorted into runs"
import sys
rows = open(sys.argv[1]).read().split("\n")[:-1]
seen, prev = set(), None
for r in rows:
    if r != prev:
        assert r not in seen, "a ballot appears in two places: " + r
        seen.add(r)
        n = len(r.split(";")[0].split(",")) if r.split(";")[0] else 0
        if prev is not None:
            m = len(prev.split(";")[0].split(",")) if prev.split(";")[0] else 0
            assert n >= m, "not sorted by number of choices"
    prev = r
EOF
  done
  # the same ballots imported in another order publish the same ballot files
  "$TALLY" import --db t2.sqlite --package e/election.pkg --authority e/auth.pub \
    $(ls -d e/bundles/*-0002 | sort -r) > /dev/null || fail "import in reverse"
  "$TALLY" import --db t2.sqlite --package e/election.pkg --authority e/auth.pub \
    --override "kiosk 2 copy kept for the record" --by "Ana" "$(ls -d e/fork/*)" > /dev/null
  "$TALLY" publish --db t2.sqlite $KEY --out site2 > /dev/null 2>&1 || fail "publish t2"
  for f in ballots.csv ballots.json results.json test-2026-city.pb test-2026-nord.pb \
    test-2026-sud.pb tracking-codes.csv; do
    cmp -s "site/data/$f" "site2/data/$f" || fail "$f depends on the import order"
  done
  # 3. nothing finer than the day: no hh:mm, no ISO time, no Unix time of the vote period
  find site -type f ! -name election.pkg > all.txt
  while read -r f; do
    if grep -n -E '[0-9]{1,2}:[0-9]{2}|T[0-9]{2}:|[0-9]{2}h[0-9]{2}|1[78][0-9]{8}([^0-9a-f]|$)' \
      "$f" | grep -v '^[0-9]*:[0-9a-f]\{64\}  ' | head -3 | grep .; then
      fail "$f holds a time"
    fi
  done < all.txt
  ;;
browser)
  command -v "$CHROMIUM" > /dev/null || fail "no $CHROMIUM (Debian package chromium)"
  python3 - codes.txt > probes.txt << 'EOF'
import sys
A = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
def ta(v):
    v <<= 1
    return (v ^ 0x29) & 31 if v & 32 else v
def check(d):
    r = 0
    for c in d:
        r = ta(r) ^ A.index(c)
    return A[ta(r)]
codes = [l.strip() for l in open(sys.argv[1]) if l.strip()]
known = codes[len(codes) // 2]
compact = known.replace("-", "")
# what a person types: lower case, no dashes, O for 0 and I or L for 1 where they can
typed = compact.lower().replace("0", "o").replace("1", "l")
# a well-formed code that is not in the list
data = "ZZZZZZZZZ0"
while data + check(data) in {c.replace("-", "") for c in codes}:
    data = data[:-1] + A[(A.index(data[-1]) + 1) % 32]
wrong = data + check(data)
# two different neighbours swapped: the check character catches it
i = next(k for k in range(10) if compact[k] != compact[k + 1])
swapped = compact[:i] + compact[i + 1] + compact[i] + compact[i + 2:]
print(known, typed, wrong[:4] + "-" + wrong[4:8] + "-" + wrong[8:], swapped, "hello")
EOF
  read -r KNOWN TYPED WRONG SWAPPED GARBAGE < probes.txt
  # every code through the site's own lookup script, in one page
  { printf 'var CODES = ['; sed 's/.*/"&",/' codes.txt | tr -d '\n'; printf '];\n'; } \
    > site/en/harness-codes.js
  cat > site/en/harness.js << 'EOF'
var left = CODES.length, found = 0, bad = [];
CODES.forEach(function (c) {
  isoloirLookup(c, function (st) {
    if (st === 'found') found++; else bad.push(c + ':' + st);
    if (--left === 0)
      document.getElementById('out').textContent = 'DONE found=' + found + ' bad=' + bad.join(' ');
  });
});
EOF
  cat > site/en/harness.html << 'EOF'
<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>every code</title></head>
<body><p id="out">waiting</p><script src="harness-codes.js"></script>
<script src="../lookup.js"></script><script src="harness.js"></script></body></html>
EOF
  # the site's reading of typed codes against the kiosk's (tracking_parse, through NORM), on
  # codes as people mistype them
  [ -x "$NORM" ] || fail "no reference reader (tests/publish/norm.c)"
  python3 - codes.txt > inputs.txt << 'EOF'
import random, sys
rnd = random.Random(14)
codes = [l.strip() for l in open(sys.argv[1]) if l.strip()]
A = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
extra = A + "abcxyzOILoilU u-\t\u00e9\u0131\u00df!*#"
out = []
for i in range(600):
    c = list(rnd.choice(codes))
    for _ in range(rnd.randrange(4)):
        k = rnd.randrange(len(c))
        op = rnd.randrange(6)
        if op == 0:
            c[k] = c[k].lower()
        elif op == 1:
            c[k] = {"0": "O", "1": rnd.choice("IiLl")}.get(c[k], c[k])
        elif op == 2:
            c[k] = rnd.choice(extra)
        elif op == 3 and k + 1 < len(c):
            c[k], c[k + 1] = c[k + 1], c[k]
        elif op == 4:
            del c[k]
        else:
            c.insert(k, rnd.choice(extra))
    out.append("".join(c))
print("\n".join(out))
EOF
  "$NORM" < inputs.txt > expected.txt || fail "the reference reader"
  python3 -c '
import json
print("var INPUTS = " + json.dumps(open("inputs.txt", encoding="utf-8").read().split("\n")[:-1]) + ";")' \
    > site/en/harness-inputs.js
  cat > site/en/harness-norm.js << 'EOF'
var out = [], left = INPUTS.length;
INPUTS.forEach(function (s, i) {
  isoloirLookup(s, function (st, code) {
    out[i] = st === 'found' || st === 'notfound' ? 'ok ' + code : st === 'typo' ? 'typo ' + code : st;
    if (--left === 0) document.getElementById('out').textContent = 'DONE\n' + out.join('\n') + '\n';
  });
});
EOF
  cat > site/en/harness-norm.html << 'EOF'
<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>reading codes</title></head>
<body><pre id="out">waiting</pre><script src="harness-inputs.js"></script>
<script src="../lookup.js"></script><script src="harness-norm.js"></script></body></html>
EOF
  grep -q '^typo' expected.txt && grep -q '^format' expected.txt && grep -q '^ok' expected.txt ||
    fail "the inputs do not cover every answer"

  # contrast: every element with text on every page, its colour against the background it sits
  # on (the first ancestor with one), computed by the browser, at least 4.5:1
  cat > site/harness-contrast.js << 'EOF'
var PAGES = [], lowest = 99, worst = '', done = 0;
['fr', 'nl', 'en'].forEach(function (l) {
  ['index', 'turnout', 'track', 'data', 'audit', 'ballot-city', 'ballot-nord', 'ballot-sud']
    .forEach(function (p) { PAGES.push(l + '/' + p + '.html'); });
});
PAGES.push('index.html');
function rgb(s) { var m = /rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)/.exec(s);
  return m ? [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]] : null; }
function lum(c) { return [0, 1, 2].map(function (i) { var v = c[i] / 255;
  return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
  .reduce(function (a, v, i) { return a + v * [0.2126, 0.7152, 0.0722][i]; }, 0); }
function check(win, doc, page) {
  var all = doc.querySelectorAll('body *');
  for (var i = 0; i < all.length; i++) {
    var el = all[i], own = '';
    for (var k = 0; k < el.childNodes.length; k++)
      if (el.childNodes[k].nodeType === 3) own += el.childNodes[k].nodeValue.trim();
    var st = win.getComputedStyle(el);
    if (!own || st.display === 'none' || st.visibility === 'hidden' || el.closest('[hidden]')) continue;
    if (el.getBoundingClientRect().left < -100) continue; /* the skip link, until focused */
    var fg = rgb(el.namespaceURI === 'http://www.w3.org/2000/svg' ? st.fill : st.color), bg = null;
    for (var a = el; a && a.nodeType === 1; a = a.parentNode) {
      var b = rgb(win.getComputedStyle(a).backgroundColor);
      if (b && b[3] > 0) { bg = b; break; }
    }
    bg = bg || [255, 255, 255, 1];
    var l1 = lum(fg), l2 = lum(bg), r = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    if (r < lowest) { lowest = r; worst = page + ' ' + el.tagName + ' "' + own.slice(0, 30) + '"'; }
  }
}
var frame = document.createElement('iframe');
frame.width = 1000; frame.height = 800;
document.body.appendChild(frame);
function next() {
  if (done === PAGES.length) {
    document.getElementById('out').textContent = 'DONE lowest=' + lowest.toFixed(2) + ' at ' + worst;
    return;
  }
  frame.onload = function () { check(frame.contentWindow, frame.contentDocument, PAGES[done]); done++; next(); };
  frame.src = PAGES[done];
}
next();
EOF
  cat > site/harness-contrast.html << 'EOF'
<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>contrast</title></head>
<body><p id="out">waiting</p><script src="harness-contrast.js"></script></body></html>
EOF

  # the site on a loopback static server, to see every request the pages make

  python3 -m http.server --bind 127.0.0.1 --directory site 0 > server.log 2>&1 &
  SERVER=$!
  trap 'kill $SERVER 2> /dev/null; [ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT
  for _ in $(seq 50); do
    PORT=$(sed -n 's/.*port \([0-9]*\).*/\1/p' server.log | head -1)
    [ -n "$PORT" ] && break
    sleep 0.2
  done
  [ -n "$PORT" ] || fail "the static server did not start"
  BASE=http://127.0.0.1:$PORT
  n=0
  # open URL -> DOM in dom.$n, console in log.$n, requests in net.$n.json
  visit() {
    n=$((n + 1))
    rm -rf profile
    timeout 120 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --no-first-run \
      --no-default-browser-check --disable-background-networking --disable-component-update \
      --disable-sync --disable-default-apps --disable-extensions --user-data-dir="$W/profile" \
      --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" --enable-logging=stderr --v=0 \
      --log-net-log="$W/net.$n.json" --virtual-time-budget=5000 --dump-dom "$1" \
      > "dom.$n" 2> "log.$n" || fail "chromium could not open $1 (see log.$n)"
    if grep 'CONSOLE' "log.$n"; then fail "console messages on $1"; fi
    python3 - "net.$n.json" "$BASE" << 'EOF' || fail "a request left the site's folder on $1"
import json, sys
d = json.load(open(sys.argv[1])); base = sys.argv[2] + "/"
types = {v: k for k, v in d["constants"]["logEventTypes"].items()}
for ev in d["events"]:
    if types.get(ev["type"]) != "URL_REQUEST_START_JOB":
        continue
    p = ev.get("params", {})
    nik = p.get("network_isolation_key", "")
    if nik.startswith("file://") or nik.startswith(sys.argv[2]) or p.get("initiator") in ("null", sys.argv[2]):
        assert p["url"].startswith(base), p["url"]
EOF
  }
  status() { grep -o 'data-status="[a-z]*"' "dom.$n" | head -1 | cut -d'"' -f2; }
  for l in fr nl en; do
    for p in index turnout track data audit ballot-city ballot-nord ballot-sud; do
      visit "$BASE/$l/$p.html"
      grep -q "<html lang=\"$l\">" "dom.$n" || fail "$l/$p.html did not render in $l"
      grep -q '<h1>' "dom.$n" || fail "$l/$p.html has no heading"
    done
  done
  grep -q 'Participation par point de vote' dom.2 || fail "French turnout page"
  visit "$BASE/en/track.html?code=$TYPED"
  [ "$(status)" = found ] || fail "$KNOWN typed as $TYPED was not found: $(status)"
  grep -q "Code $KNOWN is in the published list" "dom.$n" || fail "found, but not said"
  visit "$BASE/fr/track.html?code=$WRONG"
  [ "$(status)" = notfound ] || fail "$WRONG should not be found: $(status)"
  grep -q "pas dans la liste publiée" "dom.$n" || fail "not found, but not said in French"
  visit "$BASE/nl/track.html?code=$SWAPPED"
  [ "$(status)" = typo ] || fail "$SWAPPED (swapped) should be flagged: $(status)"
  grep -q "geen geldige code" "dom.$n" || fail "typo, but not said in Dutch"
  visit "$BASE/en/track.html?code=$GARBAGE"
  [ "$(status)" = format ] || fail "$GARBAGE should be refused: $(status)"
  visit "$BASE/en/harness.html"
  grep -q "DONE found=90 bad=<" "dom.$n" || { grep -o 'DONE[^<]*' "dom.$n"; fail "not every code found"; }
  visit "$BASE/en/harness-norm.html"
  sed -n '/<pre id="out">DONE/,/<\/pre>/p' "dom.$n" | sed '1d;$d' > got.txt
  cmp -s expected.txt got.txt ||
    { diff expected.txt got.txt | head; fail "the site reads typed codes differently from the kiosk"; }
  visit "$BASE/harness-contrast.html"
  grep -o 'DONE lowest=[^<]*' "dom.$n" > contrast.txt || fail "the contrast check did not finish"
  python3 -c '
import sys
l = open("contrast.txt").read()
r = float(l.split("lowest=")[1].split()[0])
sys.exit(0 if r >= 4.5 else "contrast below 4.5:1: " + l)' || fail "$(cat contrast.txt)"
  # from a USB stick: file://, no server
  visit "file://$W/site/en/track.html?code=$KNOWN"
  [ "$(status)" = found ] || fail "file://: $KNOWN not found: $(status)"
  visit "file://$W/site/en/track.html?code=$WRONG"
  [ "$(status)" = notfound ] || fail "file://: $WRONG found"
  visit "file://$W/site/en/harness.html"
  grep -q "DONE found=90 bad=<" "dom.$n" || fail "file://: not every code found"
  visit "file://$W/site/fr/ballot-nord.html"
  grep -q 'Pourquoi ces projets' "dom.$n" || fail "file://: ballot page"
  ;;
*) fail "unknown case $CASE" ;;
esac
echo "ok publish $CASE"
