#!/bin/sh
# The layout test (test_layout, see its header) on the demo election and on a copy of the rules
# test election with a cumulative, a ranking and a knapsack ballot with a 50 % minimum spend,
# 120-character titles, long summaries and descriptions, and long category names.
#   layout.sh BIN SRC TEST_LAYOUT
set -eu
BIN=$1 SRC=$2 TEST=$3
. "$SRC/tests/lib.sh"
make_election "$BIN" "$SRC/assets/demo" "$W/demo"
mkdir -p "$W/long"
sed -e '/^\[ballot pick\]/,$d' -e 's/^id = rules-test/id = layout-test/' \
  "$SRC/tests/voters/rules/election.conf" > "$W/long/election.conf"
cat >> "$W/long/election.conf" <<'CONF'
[ballot pick]
name.fr = Budget du quartier B : choisissez les projets que vous voulez voir réalisés
name.nl = Budget van wijk B: kies de projecten die u uitgevoerd wilt zien
name.en = District B budget: choose the projects you want to see carried out
district = b
budget = 50000
rule = knapsack
min_share = 50%
method = greedy

[category mobility]
name.fr = Mobilité douce et déplacements actifs
name.nl = Zachte mobiliteit en actieve verplaatsingen
name.en = Soft mobility and active travel

[category green]
name.fr = Nature, environnement et propreté publique
name.nl = Natuur, leefmilieu en openbare netheid
name.en = Nature, environment and public cleanliness
CONF
fr="Réaménagement participatif de la place communale : plantations, éclairage public économe et bancs accessibles à tous"
nl="Participatieve herinrichting van het gemeenteplein: beplanting, zuinige straatverlichting en toegankelijke zitbanken"
en="Participatory redesign of the municipal square: new planting, low-energy street lighting and benches everyone can use"
sfr="Un résumé de deux phrases, comme les auteurs en écrivent. Il dit ce qui change pour les riverains et quand."
snl="Een samenvatting van twee zinnen, zoals indieners ze schrijven. Ze zegt wat er verandert voor de buurt en wanneer."
sen="A two-sentence summary, as proposers write them. It says what changes for residents and when."
# the long description of P3 in the rules election, for every project
desc=$(grep '^P3,' "$SRC/tests/voters/rules/projects.csv" | cut -d'"' -f2-6)
{
  echo "id,district,category,cost_cents,title_fr,title_nl,title_en,summary_fr,summary_nl,summary_en,description_fr,description_nl,description_en,picture"
  for p in P1:,mobility,3000000 P2:,green,4000000 P3:,,2000000 P4:,mobility,1500000 \
    P5:,green,2500000 P6:,,1000000 A1:a,,1000000 A2:a,mobility,1500000 A3:a,,2000000 \
    A4:a,green,500000 B1:b,,2000000 B2:b,mobility,2500000 B3:b,green,3000000 B4:b,,1000000; do
    id=${p%%:*} rest=${p#*:}
    echo "$id,$rest,\"$id $fr\",\"$id $nl\",\"$id $en\",\"$sfr\",\"$snl\",\"$sen\",\"$desc\","
  done
} > "$W/long/projects.csv"
# signed by the demo's authority, so that one key opens both
"$BIN/isoloir-package" build "$W/long" --authority-key "$W/demo/auth.key" \
  --passphrase-file "$W/demo/pp" --tally-key "$W/demo/tally.pub" --kiosk-keys "$W/demo/kiosks" \
  -o "$W/long.pkg" > /dev/null
"$TEST" "$W/demo/auth.pub" "$W/demo/election.pkg" "$W/long.pkg"
