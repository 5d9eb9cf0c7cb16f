#!/bin/sh
# catalog.sh — the translations (po/*.po) are complete and consistent: every message of
# kiosk/catalog.h in every language, none unused, the same printf conversions everywhere, every
# plural form, no empty or fuzzy translation, and msgfmt --check (what translators run) accepts
# each file. Then each kind of mistake, made on a copy, must be refused with its name.
#   catalog.sh GEN SRC        (GEN: the catalog_gen program)
set -eu
GEN=$1 SRC=$2
cd "$SRC"
. tests/lib.sh
check() { # HEADER PODIR [SOURCES]
  "$GEN" --check --header "$1" --sources "${3:-kiosk}" "$2/fr.po" "$2/nl.po" "$2/en.po" \
    > "$W/out" 2>&1
}
check kiosk/catalog.h po || { cat "$W/out"; fail "the translations have problems (above)"; }
command -v msgfmt > /dev/null || fail "msgfmt (gettext) is not installed: see tools/dev/deps.sh"
for l in fr nl en; do
  msgfmt --check -o /dev/null "po/$l.po" || fail "msgfmt --check refuses po/$l.po"
done

# Mistakes, one at a time on a fresh copy; each must be named.
n=0
fresh() { rm -rf "$W/po"; cp -r po "$W/po"; }
refused() { # WHAT EXPECTED [HEADER [SOURCES]]
  if check "${3:-kiosk/catalog.h}" "$W/po" "${4:-kiosk}"; then fail "$1 was not refused"; fi
  grep -q -- "$2" "$W/out" || { cat "$W/out"; fail "$1 was refused without saying \"$2\""; }
  n=$((n + 1))
}
# the entry of id $2 in file $1, with awk program $3 applied inside it ($0 one line)
edit() {
  awk -v id="$2" "BEGIN { inside = 0; skip = 0 }
    /^msgctxt / { inside = (\$0 == \"msgctxt \\\"\" id \"\\\"\") }
    skip && /^\"/ { next }
    { skip = 0 }
    inside { $3 }
    { print }" "$1" > "$1.new" && mv "$1.new" "$1"
}

fresh
msggrep --invert-match -J -E -e '^M_START$' -o "$W/po/nl.po" po/nl.po
refused "a message missing in Dutch" "nl.po: M_START is missing"

fresh
edit "$W/po/fr.po" M_START 'if (/^msgstr /) { print "msgstr \"\""; skip = 1; next }'
refused "an empty translation" "M_START: the translation is empty"

fresh
edit "$W/po/nl.po" M_IDLE_BODY 'if (/^msgstr\[1\]/) { skip = 1; next }'
refused "a plural message without its second form" "M_IDLE_BODY has no msgstr\[1\]"

fresh
edit "$W/po/fr.po" M_RULE_APPROVAL 'if (/^msgstr/) sub(/%u/, "%s")'
refused "conversions that differ between languages" 'M_RULE_APPROVAL has the conversions "s,u"'

fresh
sed -i '/^msgctxt "M_START"$/i #, fuzzy' "$W/po/nl.po"
refused "a fuzzy translation" "M_START is marked fuzzy"

fresh
printf '\nmsgctxt "M_NOT_A_MESSAGE"\nmsgid "Spare"\nmsgstr "Spare"\n' >> "$W/po/en.po"
refused "a message the code does not have" "M_NOT_A_MESSAGE is not a message of catalog.h"

fresh
sed 's/^    M_MSG_COUNT$/    M_NEVER_USED,\n    M_MSG_COUNT/' kiosk/catalog.h > "$W/catalog.h"
grep -q M_NEVER_USED "$W/catalog.h" || fail "the test could not add an id to a copy of catalog.h"
for l in fr nl en; do
  printf '\nmsgctxt "M_NEVER_USED"\nmsgid "Spare"\nmsgstr "Spare"\n' >> "$W/po/$l.po"
done
refused "a message no code uses" "M_NEVER_USED is in catalog.h and the .po files but no file" \
  "$W/catalog.h"

fresh
mkdir -p "$W/src"
cp kiosk/*.c kiosk/*.h "$W/src/"
printf 'const char *late(void)\n{\n    return msg(\n        M_IDLE_BODY, LANG_FR);\n}\n' > "$W/src/extra.c"
refused "a plural message fetched without its count" \
  "extra.c:4: M_IDLE_BODY has plural forms but is fetched with msg()" kiosk/catalog.h "$W/src"

fresh
sed -i '/^#, c-format$/{N;s/^#, c-format\n\(msgctxt "M_RULE_APPROVAL"\)$/\1/}' "$W/po/en.po"
refused "a missing c-format flag" 'M_RULE_APPROVAL has printf conversions but no "#, c-format"'

fresh
edit "$W/po/fr.po" M_START 'if (/^msgid /) { print "msgid \"Begin\""; next }'
refused "a translation of an older English text" "M_START was translated from an older English"

fresh
sed -i 's/^"Plural-Forms: .*/"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);\\n"/' \
  "$W/po/fr.po"
refused "a plural rule the kiosk does not implement" "is not a rule the kiosk implements"

# The build's table: a conversion that differs stops it (printf would read the wrong argument);
# a missing message falls back to English, with a warning.
gen() { "$GEN" --header kiosk/catalog.h --out "$W/table.c" "$W/po/fr.po" "$W/po/nl.po" \
  "$W/po/en.po" > "$W/out" 2>&1; }
fresh
edit "$W/po/nl.po" M_RULE_APPROVAL 'if (/^msgstr/) sub(/%u/, "%s")'
if gen; then fail "the build took a translation whose conversions differ"; fi
grep -q "printf would read the wrong arguments" "$W/out" || { cat "$W/out"; fail "no reason"; }
fresh
msggrep --invert-match -J -E -e '^M_START$' -o "$W/po/nl.po" po/nl.po
gen || { cat "$W/out"; fail "a missing message stopped the build"; }
grep -q "M_START has no usable translation" "$W/out" || fail "no warning for a missing message"
grep -q '^    \[M_START\] = {{"Commencer", NULL}, {"Start", NULL}, {"Start", NULL}},' \
  "$W/table.c" || { grep M_START "$W/table.c"; fail "a missing Dutch text is not the English one"; }
n=$((n + 2))
echo "$((n + 1)) passed, 0 failed"
