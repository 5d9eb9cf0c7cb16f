/*
 * publish_html — the pages of the published site, in French, Dutch and English
 * (docs/publish.md): fr/, nl/ and en/ hold the same pages, each with a language switch to the
 * same page in the other languages; index.html at the top lets the reader choose.
 *
 * Every page: lang on <html>, a skip link, one <h1>, tables with <caption> and <th scope>,
 * charts as inline SVG with role="img", <title> and <desc> (the table next to a chart holds
 * the same numbers). Pages load only style.css and, for the lookup, lookup.js and codes/XY.js,
 * all inside the site's folder; a Content-Security-Policy says so to the browser.
 *
 * What a page shows about ballots comes from the counted profiles (struct pub_ballot) and the
 * kiosks' counts; no page holds a tracking code, a ciphertext hash, or a time of day.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "publish_int.h"
#include "util.h"

enum msg {
    M_SITE,
    M_RESULTS,
    M_TURNOUT,
    M_TRACK,
    M_DATA,
    M_AUDIT,
    M_SKIP,
    M_LANGNAV,
    M_MAINNAV,
    M_INTRO,
    M_BALLOTS_N,
    M_BUDGET,
    M_SPENT,
    M_FUNDED_N,
    M_DETAILS,
    M_TRACK_CALL,
    M_RULE,
    M_RULE_GREEDY,
    M_RULE_SCORE,
    M_RULE_MES,
    M_TIES,
    M_CHART_VOTES,
    M_CHART_DESC,
    M_BUDGET_USED,
    M_BUDGET_DESC,
    M_ALL_PROJECTS,
    M_PROJECT,
    M_COST,
    M_VOTES,
    M_SCORE,
    M_FUNDED,
    M_WHY,
    M_YES,
    M_NO,
    M_FUNDED_WORD,
    W_GREEDY,
    W_GREEDY_SCORE,
    W_MES,
    W_COMPL,
    W_NOVOTES,
    W_TOOBIG,
    W_MES_SHARE,
    W_MES_SPENT,
    W_OTHER,
    M_WHY_MES,
    M_WHY_MES_INTRO,
    M_POPULAR,
    M_POPULAR_ONE,
    M_POPULAR_NONE,
    M_SUPPORTERS,
    M_PAID_MAX,
    M_PAID_AVG,
    M_SHARE,
    M_TURNOUT_TITLE,
    M_TURNOUT_INTRO,
    M_VOTE_POINT,
    M_KIOSKS,
    M_VOTES_CAST,
    M_NO_POINT,
    M_PER_KIOSK,
    M_KIOSK,
    M_POLLS,
    M_PER_BALLOT,
    M_BALLOT,
    M_TRACK_TITLE,
    M_TRACK_INTRO,
    M_TRACK_FORGIVING,
    M_TRACK_LABEL,
    M_TRACK_BUTTON,
    M_TRACK_PRIVATE,
    M_TRACK_NOSCRIPT,
    R_FOUND,
    R_NOTFOUND,
    R_TYPO,
    R_FORMAT,
    R_ERROR,
    M_DATA_TITLE,
    M_DATA_INTRO,
    M_DATA_NOT,
    M_FILE,
    M_CONTENT,
    M_SIZE,
    D_PB,
    D_BALLOTS_CSV,
    D_BALLOTS_JSON,
    D_RESULTS,
    D_CODES,
    D_PKG,
    D_VERIF,
    D_SUMS,
    M_AUDIT_TITLE,
    M_AUDIT_INTRO,
    M_FPR,
    M_PKG_HASH,
    M_AUTH_KEY,
    M_TALLY_KEY,
    M_KIOSK_KEYS,
    M_FILES,
    M_COMMANDS,
    M_CMD_SUMS,
    M_CMD_RECOUNT,
    M_CMD_IMPORT,
    M_CMD_REPUBLISH,
    M_OVERRIDES,
    M_NO_OVERRIDES,
    M_FOOTER,
    M_CHOOSE,
    M_PROJECTS_OF,
    M_TOTAL,
    M_SHARE_ADD1,
    M_FPR1,
    TB_LOW,
    TB_HIGH,
    TB_VOTES,
    TB_ID,
    M_COLON,
    S_OPEN,
    S_PAUSED,
    S_CLOSED,
    M_COUNT
};

/* [message][FR, NL, EN]; printf formats take their arguments in the same order in every
 * language. */
static const char *const MSG[M_COUNT][LANG_COUNT] = {
    [M_SITE] = {"Budget participatif", "Participatieve begroting", "Participatory budget"},
    [M_RESULTS] = {"Résultats", "Resultaten", "Results"},
    [M_TURNOUT] = {"Participation", "Opkomst", "Turnout"},
    [M_TRACK] = {"Vérifier mon code", "Mijn code controleren", "Check your code"},
    [M_DATA] = {"Données ouvertes", "Open data", "Open data"},
    [M_AUDIT] = {"Auditeurs", "Auditors", "Auditors"},
    [M_SKIP] = {"Aller au contenu", "Naar de inhoud", "Skip to content"},
    [M_LANGNAV] = {"Langue", "Taal", "Language"},
    [M_MAINNAV] = {"Menu principal", "Hoofdmenu", "Main menu"},
    [M_INTRO] = {"Résultats officiels, publiés le %s. Chaque scrutin a été compté selon la règle "
                 "fixée à l'avance dans le paquet électoral signé.",
                 "Officiële resultaten, gepubliceerd op %s. Elke stemming is geteld volgens de "
                 "regel die vooraf in het ondertekende verkiezingspakket stond.",
                 "Official results, published on %s. Each ballot was counted with the rule set in "
                 "advance in the signed election package."},
    [M_BALLOTS_N] = {"%s bulletins", "%s stembiljetten", "%s ballots"},
    [M_BUDGET] = {"Budget", "Budget", "Budget"},
    [M_SPENT] = {"Utilisé", "Besteed", "Used"},
    [M_FUNDED_N] = {"Projets financés : %s sur %s", "Gefinancierde projecten: %s van %s",
                    "Projects funded: %s of %s"},
    [M_DETAILS] = {"Détail du scrutin « %s »", "Details van de stemming „%s”",
                   "Details of the “%s” ballot"},
    [M_TRACK_CALL] = {"Vous avez voté ? Vérifiez que votre bulletin a été compté avec le code de "
                      "suivi reçu au kiosque.",
                      "Hebt u gestemd? Controleer met de volgcode van de stemzuil dat uw "
                      "stembiljet is meegeteld.",
                      "Did you vote? Check that your ballot was counted with the tracking code "
                      "the kiosk gave you."},
    [M_RULE] = {"Règle de décompte", "Telregel", "Counting rule"},
    [M_RULE_GREEDY] = {"Au plus de voix : les projets sont pris dans l'ordre de leurs voix ; "
                       "chacun est financé s'il tient encore dans le budget.",
                       "Meeste stemmen: de projecten worden genomen in volgorde van hun stemmen; "
                       "elk wordt gefinancierd als het nog in het budget past.",
                       "Most votes: projects are taken in order of their votes; each is funded "
                       "if it still fits in the budget."},
    [M_RULE_SCORE] = {"Au plus de points : les projets sont pris dans l'ordre de leurs points ; "
                      "chacun est financé s'il tient encore dans le budget.",
                      "Meeste punten: de projecten worden genomen in volgorde van hun punten; "
                      "elk wordt gefinancierd als het nog in het budget past.",
                      "Most points: projects are taken in order of their points; each is funded "
                      "if it still fits in the budget."},
    [M_RULE_MES] = {"Méthode des parts égales : chaque votant reçoit une part égale du budget ; "
                    "un projet est financé quand ses partisans peuvent le payer ensemble, le "
                    "moins cher par partisan d'abord. L'argent restant va ensuite aux projets "
                    "dans l'ordre de leurs voix.",
                    "Methode van gelijke delen: elke kiezer krijgt een gelijk deel van het "
                    "budget; een project wordt gefinancierd als zijn voorstanders het samen "
                    "kunnen betalen, het goedkoopste per voorstander eerst. Het resterende geld "
                    "gaat daarna naar projecten in volgorde van hun stemmen.",
                    "Method of Equal Shares: every voter gets an equal share of the budget; a "
                    "project is funded when its supporters can pay for it together, the "
                    "cheapest per supporter first. The money left then goes to projects in "
                    "order of their votes."},
    [M_TIES] = {"Égalités départagées par : %s", "Gelijke stand beslecht door: %s",
                "Ties broken by: %s"},
    [M_CHART_VOTES] = {"Voix par projet", "Stemmen per project", "Votes per project"},
    [M_CHART_DESC] = {"Barres horizontales : une par projet, sa longueur est le nombre de voix ; "
                      "les projets financés sont marqués « financé ». Le tableau plus bas donne "
                      "les mêmes chiffres.",
                      "Horizontale balken: één per project, de lengte is het aantal stemmen; "
                      "gefinancierde projecten zijn gemarkeerd met „gefinancierd”. De tabel "
                      "hieronder geeft dezelfde cijfers.",
                      "Horizontal bars: one per project, its length is the number of votes; "
                      "funded projects are marked “funded”. The table below gives the same "
                      "numbers."},
    [M_BUDGET_USED] = {"Budget utilisé", "Gebruikt budget", "Budget used"},
    [M_BUDGET_DESC] = {"%s utilisés sur %s (%s\xc2\xa0%%)", "%s gebruikt van %s (%s\xc2\xa0%%)",
                       "%s used of %s (%s\xc2\xa0%%)"},
    [M_ALL_PROJECTS] = {"Tous les projets", "Alle projecten", "All projects"},
    [M_PROJECT] = {"Projet", "Project", "Project"},
    [M_COST] = {"Coût", "Kosten", "Cost"},
    [M_VOTES] = {"Voix", "Stemmen", "Votes"},
    [M_SCORE] = {"Points", "Punten", "Points"},
    [M_FUNDED] = {"Financé", "Gefinancierd", "Funded"},
    [M_WHY] = {"Pourquoi", "Waarom", "Why"},
    [M_YES] = {"Oui", "Ja", "Yes"},
    [M_NO] = {"Non", "Nee", "No"},
    [M_FUNDED_WORD] = {"financé", "gefinancierd", "funded"},
    [W_GREEDY] = {"Tour %d : %s voix ; il tenait dans les %s restants.",
                  "Ronde %d: %s stemmen; het paste in de resterende %s.",
                  "Round %d: %s votes; it fitted in the %s left."},
    [W_GREEDY_SCORE] = {"Tour %d : %s points ; il tenait dans les %s restants.",
                        "Ronde %d: %s punten; het paste in de resterende %s.",
                        "Round %d: %s points; it fitted in the %s left."},
    [W_MES] = {"Parts égales, tour %d : ses %s partisans se sont partagé son coût ; chacun a "
               "payé au plus %s (en moyenne %s).",
               "Gelijke delen, ronde %d: zijn %s voorstanders deelden de kosten; elk betaalde "
               "hoogstens %s (gemiddeld %s).",
               "Equal shares, round %d: its %s supporters shared its cost; each paid at most %s "
               "(on average %s)."},
    [W_COMPL] = {"Complément après les parts égales, tour %d : %s voix ; il tenait dans les %s "
                 "restants.",
                 "Aanvulling na de gelijke delen, ronde %d: %s stemmen; het paste in de "
                 "resterende %s.",
                 "Completion after equal shares, round %d: %s votes; it fitted in the %s left."},
    [W_NOVOTES] = {"Aucune voix.", "Geen stemmen.", "No votes."},
    [W_TOOBIG] = {"Son coût (%s) dépasse ce qui restait (%s).",
                  "De kosten (%s) zijn hoger dan wat overbleef (%s).",
                  "Its cost (%s) is more than what was left (%s)."},
    [W_MES_SHARE] = {" En parts égales, ses %s partisans auraient dû payer chacun %s, plus que la "
                     "part de chaque votant (%s).",
                     " Bij gelijke delen hadden zijn %s voorstanders elk %s moeten betalen, meer "
                     "dan het deel van elke kiezer (%s).",
                     " Under equal shares its %s supporters would each have had to pay %s, more "
                     "than each voter's share (%s)."},
    [W_MES_SPENT] = {" En parts égales, ses partisans avaient déjà dépensé leur part pour des "
                     "projets financés avant, moins chers par partisan.",
                     " Bij gelijke delen hadden zijn voorstanders hun deel al besteed aan eerder "
                     "gefinancierde projecten, goedkoper per voorstander.",
                     " Under equal shares its supporters had already spent their share on "
                     "projects funded earlier, cheaper per supporter."},
    [W_OTHER] = {"D'autres projets sont passés avant.", "Andere projecten gingen voor.",
                 "Other projects came first."},
    [M_WHY_MES] = {"Pourquoi ces projets ? Les parts égales",
                   "Waarom deze projecten? De "
                   "gelijke delen",
                   "Why these projects? The equal shares"},
    [M_WHY_MES_INTRO] = {"Chaque votant disposait d'une part de %s. Pour chaque projet financé "
                         "par les parts égales : combien de partisans ont partagé son coût et "
                         "ce que chacun a payé.",
                         "Elke kiezer had een deel van %s. Voor elk project dat met de gelijke "
                         "delen is gefinancierd: hoeveel voorstanders de kosten deelden en wat "
                         "elk betaalde.",
                         "Each voter had a share of %s. For each project funded by equal "
                         "shares: how many supporters shared its cost and what each paid."},
    [M_POPULAR] = {"Plus populaires, mais non financés", "Populairder, maar niet gefinancierd",
                   "More popular, but not funded"},
    [M_POPULAR_ONE] = {"« %s » (%s voix) n'a pas été financé alors que « %s » (%s voix) l'a "
                       "été. %s",
                       "„%s” (%s stemmen) werd niet gefinancierd, terwijl „%s” (%s stemmen) wel "
                       "werd gefinancierd. %s",
                       "“%s” (%s votes) was not funded although “%s” (%s votes) was. %s"},
    [M_POPULAR_NONE] = {"Aucun projet non financé n'a eu plus de voix qu'un projet financé.",
                        "Geen enkel niet-gefinancierd project had meer stemmen dan een "
                        "gefinancierd project.",
                        "No project that was not funded had more votes than a funded one."},
    [M_SUPPORTERS] = {"Partisans", "Voorstanders", "Supporters"},
    [M_PAID_MAX] = {"Payé au plus par partisan", "Hoogstens betaald per voorstander",
                    "Paid at most per supporter"},
    [M_PAID_AVG] = {"Payé en moyenne", "Gemiddeld betaald", "Paid on average"},
    [M_SHARE] = {"Part de chaque votant", "Deel van elke kiezer", "Each voter's share"},
    [M_TURNOUT_TITLE] = {"Participation par point de vote", "Opkomst per stemlocatie",
                         "Turnout per vote point"},
    [M_TURNOUT_INTRO] = {"Nombre de votes enregistrés par point de vote et par kiosque. Seuls des "
                         "totaux sont publiés, aucune heure.",
                         "Aantal geregistreerde stemmen per stemlocatie en per stemzuil. Alleen "
                         "totalen worden gepubliceerd, geen tijdstippen.",
                         "Votes recorded per vote point and per kiosk. Only totals are "
                         "published, no times."},
    [M_VOTE_POINT] = {"Point de vote", "Stemlocatie", "Vote point"},
    [M_KIOSKS] = {"Kiosques", "Stemzuilen", "Kiosks"},
    [M_VOTES_CAST] = {"Votes", "Stemmen", "Votes"},
    [M_NO_POINT] = {"(sans point de vote)", "(zonder stemlocatie)", "(no vote point)"},
    [M_PER_KIOSK] = {"Par kiosque", "Per stemzuil", "Per kiosk"},
    [M_KIOSK] = {"Kiosque", "Stemzuil", "Kiosk"},
    [M_POLLS] = {"État du scrutin à l'export", "Status van de stemming bij de export",
                 "Polls at export"},
    [M_PER_BALLOT] = {"Par scrutin", "Per stemming", "Per ballot"},
    [M_BALLOT] = {"Scrutin", "Stemming", "Ballot"},
    [M_TRACK_TITLE] = {"Vérifier mon code de suivi", "Mijn volgcode controleren",
                       "Check your tracking code"},
    [M_TRACK_INTRO] = {"Après votre vote, le kiosque vous a montré un code de suivi (par exemple "
                       "XXXX-XXXX-XXX). S'il est dans la liste publiée, votre bulletin scellé a "
                       "été compté.",
                       "Na uw stem toonde de stemzuil een volgcode (bijvoorbeeld XXXX-XXXX-XXX). "
                       "Staat hij in de gepubliceerde lijst, dan is uw verzegelde stembiljet "
                       "meegeteld.",
                       "After you voted, the kiosk showed you a tracking code (for example "
                       "XXXX-XXXX-XXX). If it is in the published list, your sealed ballot was "
                       "counted."},
    [M_TRACK_FORGIVING] = {"Majuscules, minuscules, espaces et tirets n'ont pas d'importance ; "
                           "O se lit 0, I et L se lisent 1. Une faute de frappe est signalée.",
                           "Hoofdletters, kleine letters, spaties en streepjes maken niet uit; "
                           "O telt als 0, I en L als 1. Een tikfout wordt gemeld.",
                           "Upper or lower case, spaces and dashes do not matter; O reads as 0, "
                           "I and L as 1. A typing mistake is reported."},
    [M_TRACK_LABEL] = {"Code de suivi", "Volgcode", "Tracking code"},
    [M_TRACK_BUTTON] = {"Vérifier", "Controleren", "Check"},
    [M_TRACK_PRIVATE] = {"La vérification se fait dans votre navigateur : votre code n'est envoyé "
                         "nulle part. La liste des codes ne dit rien de vos choix.",
                         "De controle gebeurt in uw browser: uw code wordt nergens naartoe "
                         "gestuurd. De lijst met codes zegt niets over uw keuzes.",
                         "The check runs in your browser: your code is sent nowhere. The list "
                         "of codes says nothing about your choices."},
    [M_TRACK_NOSCRIPT] = {"Sans JavaScript, cherchez votre code dans la liste complète :",
                          "Zonder JavaScript zoekt u uw code in de volledige lijst:",
                          "Without JavaScript, look for your code in the full list:"},
    [R_FOUND] = {"Le code %s est dans la liste publiée : votre bulletin scellé a été compté.",
                 "De code %s staat in de gepubliceerde lijst: uw verzegelde stembiljet is "
                 "meegeteld.",
                 "Code %s is in the published list: your sealed ballot was counted."},
    [R_NOTFOUND] = {"Le code %s n'est pas dans la liste publiée. Relisez-le ; s'il est exact, "
                    "signalez-le à l'autorité électorale.",
                    "De code %s staat niet in de gepubliceerde lijst. Lees hem opnieuw; als hij "
                    "klopt, meld het aan de verkiezingsautoriteit.",
                    "Code %s is not in the published list. Read it again; if it is right, tell "
                    "the election authority."},
    [R_TYPO] = {"%s n'est pas un code valide : un caractère est sans doute mal tapé, ou deux "
                "sont inversés. Relisez votre code.",
                "%s is geen geldige code: wellicht is een teken verkeerd getypt of zijn er twee "
                "verwisseld. Lees uw code opnieuw.",
                "%s is not a valid code: a character is probably mistyped, or two are swapped. "
                "Read your code again."},
    [R_FORMAT] = {"Ce n'est pas un code de suivi : un code a 11 lettres et chiffres, comme "
                  "XXXX-XXXX-XXX.",
                  "Dit is geen volgcode: een code heeft 11 letters en cijfers, zoals "
                  "XXXX-XXXX-XXX.",
                  "This is not a tracking code: a code has 11 letters and digits, like "
                  "XXXX-XXXX-XXX."},
    [R_ERROR] = {"La liste des codes n'a pas pu être lue ici ; cherchez votre code dans la liste "
                 "complète.",
                 "De lijst met codes kon hier niet worden gelezen; zoek uw code in de volledige "
                 "lijst.",
                 "The list of codes could not be read here; look for your code in the full "
                 "list."},
    [M_DATA_TITLE] = {"Données ouvertes", "Open data", "Open data"},
    [M_DATA_INTRO] = {"Tout ce qu'il faut pour refaire le décompte et vérifier la liste des "
                      "codes. Les fichiers sont dans le dossier data/ de ce site.",
                      "Alles wat nodig is om opnieuw te tellen en de lijst met codes te "
                      "controleren. De bestanden staan in de map data/ van deze site.",
                      "Everything needed to count again and to check the list of codes. The "
                      "files are in this site's data/ folder."},
    [M_DATA_NOT] = {"Rien n'est publié de plus : aucun fichier ne relie un code de suivi à des "
                    "choix ; les bulletins sont publiés sans ordre (triés par contenu), sans "
                    "kiosque ni heure ; seules des dates sont publiées, jamais une heure.",
                    "Niets meer wordt gepubliceerd: geen bestand koppelt een volgcode aan "
                    "keuzes; de stembiljetten worden zonder volgorde gepubliceerd (gesorteerd op "
                    "inhoud), zonder stemzuil of tijdstip; alleen datums, nooit een uur.",
                    "Nothing more is published: no file links a tracking code to choices; "
                    "ballots are published without order (sorted by content), without kiosk or "
                    "time; only dates are published, never a time of day."},
    [M_FILE] = {"Fichier", "Bestand", "File"},
    [M_CONTENT] = {"Contenu", "Inhoud", "Content"},
    [M_SIZE] = {"Taille (octets)", "Grootte (bytes)", "Size (bytes)"},
    [D_PB] = {"Bulletins anonymes du scrutin « %s », format pabulib (un bulletin par ligne, triés "
              "par contenu) avec le résultat",
              "Anonieme stembiljetten van de stemming „%s”, pabulib-formaat (één stembiljet per "
              "regel, gesorteerd op inhoud) met het resultaat",
              "Anonymous ballots of the “%s” ballot, pabulib format (one ballot per line, sorted "
              "by content) with the outcome"},
    [D_BALLOTS_CSV] = {"Bulletins anonymes de tous les scrutins (CSV) : chaque bulletin distinct "
                       "une fois, avec le nombre de votants qui l'ont déposé",
                       "Anonieme stembiljetten van alle stemmingen (CSV): elk verschillend "
                       "stembiljet één keer, met het aantal kiezers dat het uitbracht",
                       "Anonymous ballots of every ballot (CSV): each distinct ballot once, with "
                       "the number of voters who cast it"},
    [D_BALLOTS_JSON] = {"Les mêmes bulletins anonymes en JSON",
                        "Dezelfde anonieme stembiljetten "
                        "in JSON",
                        "The same anonymous ballots in JSON"},
    [D_RESULTS] = {"Résultats : chaque projet, ses voix, son coût, s'il est financé",
                   "Resultaten: elk project, zijn stemmen, kosten, of het gefinancierd is",
                   "Results: every project, its votes, cost, whether it is funded"},
    [D_CODES] = {"Liste des codes de suivi, chacun avec l'empreinte BLAKE2b-256 du bulletin "
                 "chiffré qu'il désigne (triée par code)",
                 "Lijst van volgcodes, elk met de BLAKE2b-256-vingerafdruk van het versleutelde "
                 "stembiljet dat hij aanwijst (gesorteerd op code)",
                 "List of tracking codes, each with the BLAKE2b-256 hash of the sealed ballot it "
                 "names (sorted by code)"},
    [D_PKG] = {"Le paquet électoral signé par l'autorité (projets, règles, clés autorisées)",
               "Het door de autoriteit ondertekende verkiezingspakket (projecten, regels, "
               "toegelaten sleutels)",
               "The election package signed by the authority (projects, rules, authorised keys)"},
    [D_VERIF] = {"Rapport de vérification : sources importées, kiosques, dérogations",
                 "Verificatierapport: geïmporteerde bronnen, stemzuilen, uitzonderingen",
                 "Verification report: sources imported, kiosks, overrides"},
    [D_SUMS] = {"Empreintes BLAKE2b-256 de ces fichiers (b2sum -l 256)",
                "BLAKE2b-256-vingerafdrukken van deze bestanden (b2sum -l 256)",
                "BLAKE2b-256 hashes of these files (b2sum -l 256)"},
    [M_AUDIT_TITLE] = {"Pour les auditeurs", "Voor auditors", "For auditors"},
    [M_AUDIT_INTRO] = {"Les empreintes qui identifient cette élection et ces fichiers, et les "
                       "commandes pour tout vérifier soi-même avec l'outil tally.",
                       "De vingerafdrukken die deze verkiezing en deze bestanden identificeren, "
                       "en de opdrachten om alles zelf te controleren met het programma tally.",
                       "The fingerprints that identify this election and these files, and the "
                       "commands to check everything yourself with the tally program."},
    [M_FPR] = {"Empreintes", "Vingerafdrukken", "Fingerprints"},
    [M_PKG_HASH] = {"Empreinte du paquet (BLAKE2b-256 du contenu, inscrite dans chaque journal)",
                    "Vingerafdruk van het pakket (BLAKE2b-256 van de inhoud, in elk journaal)",
                    "Package hash (BLAKE2b-256 of its content, written in every journal)"},
    [M_AUTH_KEY] = {"Clé de l'autorité", "Sleutel van de autoriteit", "Authority key"},
    [M_TALLY_KEY] = {"Clé de dépouillement (publique)", "Telsleutel (publiek)",
                     "Tally key (public)"},
    [M_KIOSK_KEYS] = {"Clés des kiosques", "Sleutels van de stemzuilen", "Kiosk keys"},
    [M_FILES] = {"Fichiers publiés (BLAKE2b-256)", "Gepubliceerde bestanden (BLAKE2b-256)",
                 "Published files (BLAKE2b-256)"},
    [M_COMMANDS] = {"Commandes pour revérifier", "Opdrachten om opnieuw te controleren",
                    "Commands to verify again"},
    [M_CMD_SUMS] = {"Vérifier les fichiers téléchargés :",
                    "De gedownloade bestanden "
                    "controleren:",
                    "Check the downloaded files:"},
    [M_CMD_RECOUNT] = {"Recompter chaque scrutin à partir des bulletins anonymes (même règle, "
                       "mêmes critères d'égalité) :",
                       "Elke stemming opnieuw tellen uit de anonieme stembiljetten (zelfde "
                       "regel, zelfde criteria bij gelijke stand):",
                       "Count each ballot again from the anonymous ballots (same rule, same "
                       "tie-break):"},
    [M_CMD_IMPORT] = {"Avec les exports des kiosques (clés USB) et la clé publique de "
                      "l'autorité : vérifier chaque journal et reconstruire la liste des codes :",
                      "Met de exports van de stemzuilen (USB-sticks) en de publieke sleutel van "
                      "de autoriteit: elk journaal controleren en de lijst met codes opnieuw "
                      "maken:",
                      "With the kiosks' exports (USB sticks) and the authority's public key: "
                      "check every journal and rebuild the list of codes:"},
    [M_CMD_REPUBLISH] = {"Les détenteurs de la clé de dépouillement peuvent refaire tout le site "
                         "et le comparer :",
                         "Wie de telsleutel heeft, kan de hele site opnieuw maken en "
                         "vergelijken:",
                         "Holders of the tally key can make the whole site again and compare:"},
    [M_OVERRIDES] = {"Dérogations à l'import", "Uitzonderingen bij de import",
                     "Overrides at import"},
    [M_NO_OVERRIDES] = {"Aucune : toutes les sources ont été vérifiées sans problème.",
                        "Geen: alle bronnen zijn zonder probleem gecontroleerd.",
                        "None: every source verified without a problem."},
    [M_FOOTER] = {"Publié le %s avec isoloir. Ce site fonctionne hors ligne, depuis une clé USB.",
                  "Gepubliceerd op %s met isoloir. Deze site werkt offline, vanaf een "
                  "USB-stick.",
                  "Published on %s with isoloir. This site works offline, from a USB stick."},
    [M_CHOOSE] = {"Choisissez votre langue", "Kies uw taal", "Choose your language"},
    [M_PROJECTS_OF] = {"Projets", "Projecten", "Projects"},
    [M_TOTAL] = {"Total", "Totaal", "Total"},
    [M_SHARE_ADD1] =
        {" La part de départ (le budget divisé entre les votants) a été augmentée pas à "
         "pas tant qu'un projet de plus pouvait être financé : c'est la complétion "
         "« Add1 ».",
         " Het startdeel (het budget gedeeld door het aantal kiezers) werd stap voor "
         "stap verhoogd zolang er nog een project bij kon: dat is de "
         "„Add1”-aanvulling.",
         " The starting share (the budget divided among the voters) was raised step "
         "by step while one more project could be funded: this is the Add1 "
         "completion."},
    [M_FPR1] = {"Empreinte", "Vingerafdruk", "Fingerprint"},
    [TB_LOW] = {"le moins cher", "de goedkoopste", "the cheaper"},
    [TB_HIGH] = {"le plus cher", "de duurste", "the dearer"},
    [TB_VOTES] = {"le plus de voix", "de meeste stemmen", "more votes"},
    [TB_ID] = {"l'identifiant du projet", "de projectcode", "the project id"},
    [M_COLON] = {" : ", ": ", ": "},
    [S_OPEN] = {"ouvert", "open", "open"},
    [S_PAUSED] = {"en pause", "gepauzeerd", "paused"},
    [S_CLOSED] = {"clos", "gesloten", "closed"},
};

static const char *T(enum msg m, enum lang l)
{
    return MSG[m][l];
}

static const char *const LANG_NAME[LANG_COUNT] = {"Français", "Nederlands", "English"};

/* ---- text helpers ------------------------------------------------------------------------ */

void pub_html(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

void pub_json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

/* printf into a buffer, then HTML-escaped. */
static void htmlf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void htmlf(FILE *f, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    pub_html(f, buf);
}

/* An integer with the language's thousands separator. */
static const char *num(char *buf, size_t size, int64_t v, enum lang l)
{
    char raw[32];
    snprintf(raw, sizeof raw, "%lld", (long long)(v < 0 ? -v : v));
    const char *sep = l == LANG_FR ? "\xe2\x80\xaf" : l == LANG_NL ? "." : ",";
    size_t n = strlen(raw), o = 0;
    if (v < 0 && o + 1 < size)
        buf[o++] = '-';
    for (size_t i = 0; i < n && o + 4 < size; i++) {
        if (i && (n - i) % 3 == 0)
            for (const char *s = sep; *s && o + 1 < size; s++)
                buf[o++] = *s;
        buf[o++] = raw[i];
    }
    buf[o] = 0;
    return buf;
}

static const char *money(char *buf, size_t size, int64_t cents, enum lang l)
{
    util_format_euro(buf, size, cents, lang_code(l));
    return buf;
}

/* The first `max` characters of a UTF-8 string, with an ellipsis when cut. */
static void cut(char *out, size_t size, const char *s, size_t max)
{
    size_t n = 0;
    const char *p = s;
    while (*p && n < max) {
        p++;
        while ((*p & 0xC0) == 0x80)
            p++;
        n++;
    }
    snprintf(out, size, "%.*s%s", (int)(p - s), s, *p ? "\xe2\x80\xa6" : "");
}

/* The polls state a kiosk's last row says, in words. */
static const char *state_text(const char *s, enum lang l)
{
    return !strcmp(s, "open")     ? T(S_OPEN, l)
           : !strcmp(s, "paused") ? T(S_PAUSED, l)
           : !strcmp(s, "closed") ? T(S_CLOSED, l)
                                  : s;
}

/* ---- page frame -------------------------------------------------------------------------- */

enum page { P_INDEX, P_BALLOT, P_TURNOUT, P_TRACK, P_DATA, P_AUDIT };

static const char CSP[] = "default-src 'self'; script-src 'self'; style-src 'self'; img-src "
                          "'self' data:; connect-src 'none'; form-action 'self'; base-uri 'none'";

static void page_begin(FILE *f, const struct pub *pb, enum lang l, enum page pg, const char *file,
                       const char *title)
{
    const struct election *el = pb->el;
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
            lang_code(l));
    fprintf(f, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    fprintf(f, "<meta http-equiv=\"Content-Security-Policy\" content=\"%s\">\n", CSP);
    fprintf(f, "<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
    pub_html(f, title);
    fputs(" — ", f);
    pub_html(f, text_get(&el->name, l));
    fprintf(f, "</title>\n<link rel=\"stylesheet\" href=\"../style.css\">\n");
    for (int o = 0; o < LANG_COUNT; o++)
        if (o != (int)l)
            fprintf(f, "<link rel=\"alternate\" hreflang=\"%s\" href=\"../%s/%s\">\n",
                    lang_code((enum lang)o), lang_code((enum lang)o), file);
    fprintf(f, "</head>\n<body>\n<a class=\"skip\" href=\"#main\">%s</a>\n<header>\n",
            T(M_SKIP, l));
    fprintf(f, "<nav class=\"langs\" aria-label=\"%s\"><ul>", T(M_LANGNAV, l));
    for (int o = 0; o < LANG_COUNT; o++) {
        if (o == (int)l)
            fprintf(f, "<li><a href=\"%s\" lang=\"%s\" aria-current=\"true\">%s</a></li>", file,
                    lang_code((enum lang)o), LANG_NAME[o]);
        else
            fprintf(f, "<li><a href=\"../%s/%s\" lang=\"%s\" hreflang=\"%s\">%s</a></li>",
                    lang_code((enum lang)o), file, lang_code((enum lang)o), lang_code((enum lang)o),
                    LANG_NAME[o]);
    }
    fprintf(f, "</ul></nav>\n<a class=\"site\" href=\"index.html\">");
    pub_html(f, text_get(&el->name, l));
    fprintf(f, "</a>\n<nav aria-label=\"%s\"><ul>", T(M_MAINNAV, l));
    static const struct {
        enum page pg;
        const char *file;
        enum msg m;
    } NAV[] = {{P_INDEX, "index.html", M_RESULTS},
               {P_TURNOUT, "turnout.html", M_TURNOUT},
               {P_TRACK, "track.html", M_TRACK},
               {P_DATA, "data.html", M_DATA},
               {P_AUDIT, "audit.html", M_AUDIT}};
    for (size_t i = 0; i < ARRAY_LEN(NAV); i++)
        fprintf(f, "<li><a href=\"%s\"%s>%s</a></li>", NAV[i].file,
                NAV[i].pg == pg ? " aria-current=\"page\"" : "", T(NAV[i].m, l));
    fprintf(f, "</ul></nav>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n<h1>");
    pub_html(f, title);
    fprintf(f, "</h1>\n");
}

static void page_end(FILE *f, const struct pub *pb, enum lang l)
{
    fprintf(f, "</main>\n<footer><p>");
    htmlf(f, T(M_FOOTER, l), pb->day);
    fprintf(f, "</p></footer>\n</body>\n</html>\n");
}

/* ---- charts ------------------------------------------------------------------------------ */

struct bar {
    char label[160];
    int64_t value;
    bool mark; /* funded */
};

/* Horizontal bars with the value written after each bar (and "funded" when marked). */
static void svg_bars(FILE *f, enum lang l, const char *id, const char *title, const char *desc,
                     const struct bar *bars, size_t n)
{
    const int W = 760, LABEL = 300, BAR = 330, ROW = 30, TOP = 8;
    int64_t max = 1;
    for (size_t i = 0; i < n; i++)
        if (bars[i].value > max)
            max = bars[i].value;
    int h = TOP * 2 + ROW * (int)n;
    fprintf(f,
            "<svg role=\"img\" aria-labelledby=\"%s-t %s-d\" viewBox=\"0 0 %d %d\" width=\"%d\" "
            "height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"%s-t\">",
            id, id, W, h, W, h, id);
    pub_html(f, title);
    fprintf(f, "</title>\n<desc id=\"%s-d\">", id);
    pub_html(f, desc);
    fprintf(f, "</desc>\n");
    for (size_t i = 0; i < n; i++) {
        int y = TOP + ROW * (int)i;
        int w = (int)((double)BAR * (double)bars[i].value / (double)max + 0.5);
        char lab[200], nb[48];
        cut(lab, sizeof lab, bars[i].label, 38);
        fprintf(f,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"14\" "
                "fill=\"#1a1a1a\">",
                LABEL - 8, y + 19);
        pub_html(f, lab);
        fprintf(f, "</text>\n");
        fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>\n", LABEL,
                y + 4, w < 1 ? 1 : w, ROW - 8, bars[i].mark ? "#0b4f9c" : "#5f6368");
        fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"14\" fill=\"#1a1a1a\"%s>%s%s%s</text>\n",
                LABEL + (w < 1 ? 1 : w) + 6, y + 19, bars[i].mark ? " font-weight=\"700\"" : "",
                num(nb, sizeof nb, bars[i].value, l), bars[i].mark ? " \xe2\x9c\x93 " : "",
                bars[i].mark ? T(M_FUNDED_WORD, l) : "");
    }
    fprintf(f, "</svg>\n");
}

/* The budget as one bar; the same words in the SVG's title and in a paragraph after it. */
static void svg_budget(FILE *f, enum lang l, const char *id, int64_t spent, int64_t budget)
{
    char a[64], b[64], pc[16], desc[256];
    snprintf(pc, sizeof pc, "%lld", budget > 0 ? (long long)(spent * 100 / budget) : 0LL);
    snprintf(desc, sizeof desc, T(M_BUDGET_DESC, l), money(a, sizeof a, spent, l),
             money(b, sizeof b, budget, l), pc);
    const int W = 760, H = 32, BAR = 756;
    int w = budget > 0 ? (int)((double)BAR * (double)spent / (double)budget + 0.5) : 0;
    fprintf(f,
            "<svg role=\"img\" aria-labelledby=\"%s-t\" viewBox=\"0 0 %d %d\" width=\"%d\" "
            "height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"%s-t\">",
            id, W, H, W, H, id);
    pub_html(f, desc);
    fprintf(f,
            "</title>\n<rect x=\"2\" y=\"4\" width=\"%d\" height=\"24\" fill=\"#ffffff\" "
            "stroke=\"#5f6368\" stroke-width=\"2\"/>\n",
            BAR);
    fprintf(f,
            "<rect x=\"2\" y=\"4\" width=\"%d\" height=\"24\" fill=\"#0b4f9c\"/>\n</svg>\n"
            "<p aria-hidden=\"true\">",
            w);
    pub_html(f, desc);
    fprintf(f, "</p>\n");
}

/* ---- why a project was (not) funded ------------------------------------------------------ */

static bool is_mes(enum count_rule r)
{
    return r == RULE_MES || r == RULE_MES_ADD1 || r == RULE_MES_ADD1_GREEDY;
}

/* Each voter's share of the budget in the equal-shares phase (after the Add1 raises). */
static int64_t share(const struct pub_ballot *b)
{
    uint64_t n = profile_voters(&b->p);
    if (b->o.per_voter_budget > 0)
        return b->o.per_voter_budget;
    return n ? b->p.budget / (int64_t)n : 0;
}

static void why(char *out, size_t size, const struct pub_ballot *b, size_t i, enum lang l)
{
    const struct project_result *r = &b->o.res[i];
    char m1[64], m2[64], m3[64], n1[48];
    if (r->selected) {
        int64_t left = b->p.budget;
        for (size_t k = 0; k < b->o.nselected && b->o.order[k] != i; k++)
            left -= b->p.cost[b->o.order[k]];
        money(m1, sizeof m1, left, l);
        if (is_mes(b->rule) && r->phase == 1) {
            int64_t maxpay = r->eff > 0 ? (int64_t)((double)b->p.cost[i] / r->eff + 0.5) : 0;
            snprintf(out, size, T(W_MES, l), r->round, num(n1, sizeof n1, r->votes, l),
                     money(m2, sizeof m2, maxpay, l),
                     money(m3, sizeof m3, r->votes ? b->p.cost[i] / r->votes : 0, l));
        } else if (is_mes(b->rule)) {
            snprintf(out, size, T(W_COMPL, l), r->round, num(n1, sizeof n1, r->votes, l), m1);
        } else if (b->rule == RULE_GREEDY_SCORE) {
            snprintf(out, size, T(W_GREEDY_SCORE, l), r->round, num(n1, sizeof n1, r->score, l),
                     m1);
        } else {
            snprintf(out, size, T(W_GREEDY, l), r->round, num(n1, sizeof n1, r->votes, l), m1);
        }
        return;
    }
    if (r->votes == 0) {
        snprintf(out, size, "%s", T(W_NOVOTES, l));
        return;
    }
    int64_t left = b->p.budget - b->o.spent;
    size_t o = 0;
    if (b->p.cost[i] > left)
        o = (size_t)snprintf(out, size, T(W_TOOBIG, l), money(m1, sizeof m1, b->p.cost[i], l),
                             money(m2, sizeof m2, left, l));
    else
        o = (size_t)snprintf(out, size, "%s", T(W_OTHER, l));
    if (o >= size || !is_mes(b->rule))
        return;
    int64_t each = b->p.cost[i] / r->votes, sh = share(b);
    if (each > sh)
        snprintf(out + o, size - o, T(W_MES_SHARE, l), num(n1, sizeof n1, r->votes, l),
                 money(m1, sizeof m1, each, l), money(m2, sizeof m2, sh, l));
    else
        snprintf(out + o, size - o, "%s", T(W_MES_SPENT, l));
}

/* ---- pages ------------------------------------------------------------------------------- */

static const char *ballot_title(const struct pub *pb, size_t d, enum lang l)
{
    return text_get(&pb->el->ballots[d].name, l);
}

static const char *project_title(const struct pub *pb, const struct pub_ballot *b, size_t i,
                                 enum lang l)
{
    return text_get(&pb->el->projects[b->bd->projects[i]].title, l);
}

static void ties_text(char *out, size_t size, const struct election *el)
{
    size_t o = 0;
    bool has_id = false;
    out[0] = 0;
    for (int i = 0; i < TIE_MAX && el->tie_break[i] != TIE_END && o < size; i++) {
        o += (size_t)snprintf(out + o, size - o, "%s%s", i ? "," : "",
                              tie_break_name(el->tie_break[i]));
        has_id |= el->tie_break[i] == TIE_ID;
    }
    if (!has_id && o < size)
        snprintf(out + o, size - o, "%sid", o ? "," : "");
}

/* The tie-break criteria in words, in order, "id" last. */
static void ties_words(char *out, size_t size, const struct election *el, enum lang l)
{
    size_t o = 0;
    bool has_id = false;
    out[0] = 0;
    for (int i = 0; i <= TIE_MAX && o < size; i++) {
        enum tie_break t = i < TIE_MAX ? el->tie_break[i] : TIE_END;
        if (t == TIE_END && has_id)
            break;
        if (t == TIE_END)
            t = TIE_ID;
        enum msg m = t == TIE_LOWEST_COST    ? TB_LOW
                     : t == TIE_HIGHEST_COST ? TB_HIGH
                     : t == TIE_MOST_VOTES   ? TB_VOTES
                                             : TB_ID;
        o += (size_t)snprintf(out + o, size - o, "%s%s", o ? ", " : "", T(m, l));
        has_id |= t == TIE_ID;
        if (t == TIE_ID)
            break;
    }
}

static void write_index(FILE *f, const struct pub *pb, enum lang l)
{
    const struct election *el = pb->el;
    page_begin(f, pb, l, P_INDEX, "index.html", T(M_RESULTS, l));
    fprintf(f, "<p>");
    htmlf(f, T(M_INTRO, l), pb->day);
    fprintf(f, "</p>\n<p class=\"note\"><a href=\"track.html\">%s</a></p>\n", T(M_TRACK_CALL, l));
    fprintf(f, "<ul class=\"cards\">\n");
    for (size_t d = 0; d < el->nballots; d++) {
        const struct pub_ballot *b = &pb->b[d];
        char n1[48], n2[48], m1[64], m2[64];
        fprintf(f, "<li><h2><a href=\"ballot-%s.html\">", b->bd->id);
        pub_html(f, ballot_title(pb, d, l));
        fprintf(f, "</a></h2>\n<p>");
        htmlf(f, T(M_BALLOTS_N, l), num(n1, sizeof n1, (int64_t)profile_voters(&b->p), l));
        fprintf(f, "<br>%s%s", T(M_BUDGET, l), T(M_COLON, l));
        pub_html(f, money(m1, sizeof m1, b->p.budget, l));
        fprintf(f, "<br>%s%s", T(M_SPENT, l), T(M_COLON, l));
        pub_html(f, money(m2, sizeof m2, b->o.spent, l));
        fprintf(f, "<br>");
        htmlf(f, T(M_FUNDED_N, l), num(n1, sizeof n1, (int64_t)b->o.nselected, l),
              num(n2, sizeof n2, (int64_t)b->p.nprojects, l));
        fprintf(f, "</p>\n<p><a href=\"ballot-%s.html\">", b->bd->id);
        htmlf(f, T(M_DETAILS, l), ballot_title(pb, d, l));
        fprintf(f, "</a></p>\n");
        svg_budget(f, l, b->bd->id, b->o.spent, b->p.budget);
        fprintf(f, "</li>\n");
    }
    fprintf(f, "</ul>\n");
    page_end(f, pb, l);
}

static void write_ballot(FILE *f, const struct pub *pb, size_t d, enum lang l)
{
    const struct election *el = pb->el;
    const struct pub_ballot *b = &pb->b[d];
    char file[128], n1[48], n2[48], m1[64], m2[64], m3[64];
    snprintf(file, sizeof file, "ballot-%s.html", b->bd->id);
    page_begin(f, pb, l, P_BALLOT, file, ballot_title(pb, d, l));
    bool score = b->p.kind != VOTE_APPROVAL;
    fprintf(f, "<p>");
    htmlf(f, T(M_BALLOTS_N, l), num(n1, sizeof n1, (int64_t)profile_voters(&b->p), l));
    fprintf(f, " · %s%s", T(M_BUDGET, l), T(M_COLON, l));
    pub_html(f, money(m1, sizeof m1, b->p.budget, l));
    fprintf(f, " · %s%s", T(M_SPENT, l), T(M_COLON, l));
    pub_html(f, money(m2, sizeof m2, b->o.spent, l));
    fprintf(f, "</p>\n<p><strong>%s.</strong> %s</p>\n<p>", T(M_RULE, l),
            is_mes(b->rule)                ? T(M_RULE_MES, l)
            : b->rule == RULE_GREEDY_SCORE ? T(M_RULE_SCORE, l)
                                           : T(M_RULE_GREEDY, l));
    char ties[256];
    ties_words(ties, sizeof ties, el, l);
    htmlf(f, T(M_TIES, l), ties);
    fprintf(f, "</p>\n");

    /* funded first in the order chosen, then the others by votes (the order of the table) */
    size_t n = b->p.nprojects;
    size_t *ord = malloc((n + 1) * sizeof *ord);
    struct bar *bars = calloc(n + 1, sizeof *bars);
    if (!ord || !bars) {
        free(ord);
        free(bars);
        fprintf(f, "<p>?</p>\n");
        page_end(f, pb, l);
        return;
    }
    size_t k = 0;
    for (size_t s = 0; s < b->o.nselected; s++)
        ord[k++] = b->o.order[s];
    size_t first_out = k;
    for (size_t i = 0; i < n; i++)
        if (!b->o.res[i].selected)
            ord[k++] = i;
    for (size_t x = first_out + 1; x < k; x++) /* insertion sort by votes, stable */
        for (size_t y = x; y > first_out && b->o.res[ord[y]].votes > b->o.res[ord[y - 1]].votes;
             y--) {
            size_t t = ord[y];
            ord[y] = ord[y - 1];
            ord[y - 1] = t;
        }
    for (size_t x = 0; x < k; x++) {
        size_t i = ord[x];
        snprintf(bars[x].label, sizeof bars[x].label, "%s", project_title(pb, b, i, l));
        bars[x].value = b->o.res[i].votes;
        bars[x].mark = b->o.res[i].selected;
    }
    fprintf(f, "<h2>%s</h2>\n", T(M_CHART_VOTES, l));
    char id[80];
    snprintf(id, sizeof id, "votes-%s", b->bd->id);
    svg_bars(f, l, id, T(M_CHART_VOTES, l), T(M_CHART_DESC, l), bars, k);
    fprintf(f, "<h2>%s</h2>\n", T(M_BUDGET_USED, l));
    snprintf(id, sizeof id, "budget-%s", b->bd->id);
    svg_budget(f, l, id, b->o.spent, b->p.budget);

    fprintf(f, "<h2 id=\"projects\">%s</h2>\n<table>\n<caption>", T(M_ALL_PROJECTS, l));
    pub_html(f, ballot_title(pb, d, l));
    fprintf(f,
            "</caption>\n<thead><tr><th scope=\"col\">%s</th><th scope=\"col\" "
            "class=\"n\">%s</th><th scope=\"col\" class=\"n\">%s</th>",
            T(M_PROJECT, l), T(M_COST, l), T(M_VOTES, l));
    if (score)
        fprintf(f, "<th scope=\"col\" class=\"n\">%s</th>", T(M_SCORE, l));
    fprintf(f, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
            T(M_FUNDED, l), T(M_WHY, l));
    for (size_t x = 0; x < k; x++) {
        size_t i = ord[x];
        const struct project_result *r = &b->o.res[i];
        char reason[1024];
        why(reason, sizeof reason, b, i, l);
        fprintf(f, "<tr%s><th scope=\"row\">", r->selected ? " class=\"funded\"" : "");
        pub_html(f, project_title(pb, b, i, l));
        fprintf(f, " <span class=\"mono\">(");
        pub_html(f, b->p.ids[i]);
        fprintf(f, ")</span></th><td class=\"n\">");
        pub_html(f, money(m1, sizeof m1, b->p.cost[i], l));
        fprintf(f, "</td><td class=\"n\">%s</td>", num(n1, sizeof n1, r->votes, l));
        if (score)
            fprintf(f, "<td class=\"n\">%s</td>", num(n2, sizeof n2, r->score, l));
        fprintf(f, "<td>%s</td><td>", r->selected ? T(M_YES, l) : T(M_NO, l));
        pub_html(f, reason);
        fprintf(f, "</td></tr>\n");
    }
    fprintf(f, "</tbody>\n</table>\n");

    if (is_mes(b->rule)) {
        fprintf(f, "<h2>%s</h2>\n<p>", T(M_WHY_MES, l));
        htmlf(f, T(M_WHY_MES_INTRO, l), money(m1, sizeof m1, share(b), l));
        if (b->o.add1_steps > 0)
            pub_html(f, T(M_SHARE_ADD1, l));
        fprintf(f,
                "</p>\n<table>\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
                "<th scope=\"col\" class=\"n\">%s</th><th scope=\"col\" class=\"n\">%s</th>"
                "<th scope=\"col\" class=\"n\">%s</th><th scope=\"col\" "
                "class=\"n\">%s</th></tr></thead>\n<tbody>\n",
                T(M_WHY_MES, l), T(M_PROJECT, l), T(M_COST, l), T(M_SUPPORTERS, l),
                T(M_PAID_MAX, l), T(M_PAID_AVG, l));
        for (size_t s = 0; s < b->o.nselected; s++) {
            size_t i = b->o.order[s];
            const struct project_result *r = &b->o.res[i];
            if (r->phase != 1)
                continue;
            int64_t maxpay = r->eff > 0 ? (int64_t)((double)b->p.cost[i] / r->eff + 0.5) : 0;
            fprintf(f, "<tr><th scope=\"row\">");
            pub_html(f, project_title(pb, b, i, l));
            fprintf(f, "</th><td class=\"n\">");
            pub_html(f, money(m1, sizeof m1, b->p.cost[i], l));
            fprintf(f, "</td><td class=\"n\">%s</td><td class=\"n\">",
                    num(n1, sizeof n1, r->votes, l));
            pub_html(f, money(m2, sizeof m2, maxpay, l));
            fprintf(f, "</td><td class=\"n\">");
            pub_html(f, money(m3, sizeof m3, r->votes ? b->p.cost[i] / r->votes : 0, l));
            fprintf(f, "</td></tr>\n");
        }
        fprintf(f, "</tbody>\n</table>\n");
    }

    /* unfunded projects with more votes than the least-voted funded one */
    fprintf(f, "<h2>%s</h2>\n", T(M_POPULAR, l));
    size_t least = SIZE_MAX;
    for (size_t s = 0; s < b->o.nselected; s++)
        if (least == SIZE_MAX || b->o.res[b->o.order[s]].votes < b->o.res[least].votes)
            least = b->o.order[s];
    bool any = false;
    for (size_t x = first_out; x < k && least != SIZE_MAX; x++) {
        size_t i = ord[x];
        if (b->o.res[i].votes <= b->o.res[least].votes)
            continue;
        char reason[1024];
        why(reason, sizeof reason, b, i, l);
        fprintf(f, "%s<li>", any ? "" : "<ul>\n");
        any = true;
        htmlf(f, T(M_POPULAR_ONE, l), project_title(pb, b, i, l),
              num(n1, sizeof n1, b->o.res[i].votes, l), project_title(pb, b, least, l),
              num(n2, sizeof n2, b->o.res[least].votes, l), reason);
        fprintf(f, "</li>\n");
    }
    fprintf(f, any ? "</ul>\n" : "<p>%s</p>\n", T(M_POPULAR_NONE, l));
    free(ord);
    free(bars);
    page_end(f, pb, l);
}

static void write_turnout(FILE *f, const struct pub *pb, enum lang l)
{
    const struct election *el = pb->el;
    page_begin(f, pb, l, P_TURNOUT, "turnout.html", T(M_TURNOUT_TITLE, l));
    fprintf(f, "<p>%s</p>\n", T(M_TURNOUT_INTRO, l));
    size_t np = el->nvote_points + 1; /* the last: kiosks with no vote point */
    int64_t *votes = calloc(np, sizeof *votes);
    size_t *kiosks = calloc(np, sizeof *kiosks);
    struct bar *bars = calloc(np, sizeof *bars);
    char n1[48], n2[48];
    if (votes && kiosks && bars) {
        for (size_t i = 0; i < pb->nk; i++) {
            size_t p = pb->k[i].vote_point >= 0 ? (size_t)pb->k[i].vote_point : np - 1;
            votes[p] += pb->k[i].ballots;
            kiosks[p]++;
        }
        size_t nb = 0;
        for (size_t p = 0; p < np; p++) {
            if (p == np - 1 && !kiosks[p])
                continue;
            snprintf(bars[nb].label, sizeof bars[nb].label, "%s",
                     p < el->nvote_points ? text_get(&el->vote_points[p].name, l)
                                          : T(M_NO_POINT, l));
            bars[nb].value = votes[p];
            nb++;
        }
        svg_bars(f, l, "points", T(M_TURNOUT_TITLE, l), T(M_TURNOUT_INTRO, l), bars, nb);
        fprintf(f,
                "<table>\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th><th "
                "scope=\"col\" class=\"n\">%s</th><th scope=\"col\" "
                "class=\"n\">%s</th></tr></thead>\n<tbody>\n",
                T(M_TURNOUT_TITLE, l), T(M_VOTE_POINT, l), T(M_KIOSKS, l), T(M_VOTES_CAST, l));
        int64_t total = 0;
        for (size_t p = 0; p < np; p++) {
            if (p == np - 1 && !kiosks[p])
                continue;
            fprintf(f, "<tr><th scope=\"row\">");
            pub_html(f, p < el->nvote_points ? text_get(&el->vote_points[p].name, l)
                                             : T(M_NO_POINT, l));
            fprintf(f, "</th><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
                    num(n1, sizeof n1, (int64_t)kiosks[p], l), num(n2, sizeof n2, votes[p], l));
            total += votes[p];
        }
        fprintf(f,
                "</tbody>\n<tfoot><tr><th scope=\"row\">%s</th><td class=\"n\">%s</td>"
                "<td class=\"n\">%s</td></tr></tfoot>\n</table>\n",
                T(M_TOTAL, l), num(n1, sizeof n1, (int64_t)pb->nk, l),
                num(n2, sizeof n2, total, l));
    }
    free(votes);
    free(kiosks);
    free(bars);

    fprintf(f,
            "<h2>%s</h2>\n<table>\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s"
            "</th><th scope=\"col\" class=\"n\">%s</th></tr></thead>\n<tbody>\n",
            T(M_PER_BALLOT, l), T(M_PER_BALLOT, l), T(M_BALLOT, l), T(M_VOTES_CAST, l));
    for (size_t d = 0; d < el->nballots; d++) {
        fprintf(f, "<tr><th scope=\"row\"><a href=\"ballot-%s.html\">", el->ballots[d].id);
        pub_html(f, ballot_title(pb, d, l));
        fprintf(f, "</a></th><td class=\"n\">%s</td></tr>\n",
                num(n1, sizeof n1, (int64_t)profile_voters(&pb->b[d].p), l));
    }
    fprintf(f, "</tbody>\n</table>\n");

    fprintf(f,
            "<h2>%s</h2>\n<table>\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s"
            "</th><th scope=\"col\">%s</th><th scope=\"col\" class=\"n\">%s</th><th "
            "scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
            T(M_PER_KIOSK, l), T(M_PER_KIOSK, l), T(M_KIOSK, l), T(M_VOTE_POINT, l),
            T(M_VOTES_CAST, l), T(M_POLLS, l));
    for (size_t i = 0; i < pb->nk; i++) {
        const struct pub_kiosk *k = &pb->k[i];
        fprintf(f, "<tr><th scope=\"row\">");
        pub_html(f, k->label);
        fprintf(f, "</th><td>");
        pub_html(f, k->vote_point >= 0 ? text_get(&el->vote_points[k->vote_point].name, l)
                                       : T(M_NO_POINT, l));
        fprintf(f, "</td><td class=\"n\">%s</td><td>", num(n1, sizeof n1, k->ballots, l));
        pub_html(f, state_text(k->state, l));
        fprintf(f, "</td></tr>\n");
    }
    fprintf(f, "</tbody>\n</table>\n");
    page_end(f, pb, l);
}

static void write_track(FILE *f, const struct pub *pb, enum lang l)
{
    page_begin(f, pb, l, P_TRACK, "track.html", T(M_TRACK_TITLE, l));
    fprintf(f, "<p>%s</p>\n<p id=\"code-help\">%s</p>\n", T(M_TRACK_INTRO, l),
            T(M_TRACK_FORGIVING, l));
    fprintf(f,
            "<form id=\"lookup\" action=\"track.html\" method=\"get\">\n<label "
            "for=\"code\">%s</label>\n<input id=\"code\" name=\"code\" type=\"text\" "
            "autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\" "
            "aria-describedby=\"code-help\" required>"
            "<button type=\"submit\">%s</button>\n</form>\n",
            T(M_TRACK_LABEL, l), T(M_TRACK_BUTTON, l));
    fprintf(f, "<div id=\"result\" role=\"status\" aria-live=\"polite\" data-status=\"\"");
    static const struct {
        const char *status;
        enum msg m;
    } R[] = {{"found", R_FOUND},
             {"notfound", R_NOTFOUND},
             {"typo", R_TYPO},
             {"format", R_FORMAT},
             {"error", R_ERROR}};
    for (size_t i = 0; i < ARRAY_LEN(R); i++) {
        fprintf(f, " data-%s=\"", R[i].status);
        pub_html(f, T(R[i].m, l));
        fputc('"', f);
    }
    fprintf(f, "></div>\n<p>%s</p>\n", T(M_TRACK_PRIVATE, l));
    fprintf(f,
            "<noscript><p>%s <a href=\"../data/tracking-codes.csv\">tracking-codes.csv</a>"
            "</p></noscript>\n",
            T(M_TRACK_NOSCRIPT, l));
    fprintf(f, "<script src=\"../lookup.js\"></script>\n");
    page_end(f, pb, l);
}

static void file_row(FILE *f, const struct pub *pb, const char *name, const char *desc, enum lang l)
{
    char n1[48];
    uint64_t size = 0;
    for (size_t i = 0; i < pb->nfiles; i++)
        if (!strcmp(pb->files[i].name, name))
            size = pb->files[i].size;
    fprintf(f, "<tr><th scope=\"row\"><a href=\"../data/");
    pub_html(f, name);
    fprintf(f, "\" download>");
    pub_html(f, name);
    fprintf(f, "</a></th><td>");
    pub_html(f, desc);
    fprintf(f, "</td><td class=\"n\">%s</td></tr>\n", num(n1, sizeof n1, (int64_t)size, l));
}

static void write_data(FILE *f, const struct pub *pb, enum lang l)
{
    page_begin(f, pb, l, P_DATA, "data.html", T(M_DATA_TITLE, l));
    fprintf(f, "<p>%s</p>\n<p class=\"note\">%s</p>\n", T(M_DATA_INTRO, l), T(M_DATA_NOT, l));
    fprintf(f,
            "<table>\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th><th "
            "scope=\"col\">%s</th><th scope=\"col\" class=\"n\">%s</th></tr></thead>\n"
            "<tbody>\n",
            T(M_DATA_TITLE, l), T(M_FILE, l), T(M_CONTENT, l), T(M_SIZE, l));
    for (size_t d = 0; d < pb->el->nballots; d++) {
        char desc[512];
        snprintf(desc, sizeof desc, T(D_PB, l), ballot_title(pb, d, l));
        file_row(f, pb, pb->b[d].pb, desc, l);
    }
    file_row(f, pb, "ballots.csv", T(D_BALLOTS_CSV, l), l);
    file_row(f, pb, "ballots.json", T(D_BALLOTS_JSON, l), l);
    file_row(f, pb, "results.csv", T(D_RESULTS, l), l);
    file_row(f, pb, "results.json", T(D_RESULTS, l), l);
    file_row(f, pb, "tracking-codes.csv", T(D_CODES, l), l);
    file_row(f, pb, "election.pkg", T(D_PKG, l), l);
    file_row(f, pb, "verification.txt", T(D_VERIF, l), l);
    fprintf(f,
            "<tr><th scope=\"row\"><a href=\"../data/B2SUMS\" download>B2SUMS</a></th><td>%s"
            "</td><td class=\"n\"></td></tr>\n",
            T(D_SUMS, l));
    fprintf(f, "</tbody>\n</table>\n");
    page_end(f, pb, l);
}

static const char *pb_rule(enum count_rule r)
{
    return r == RULE_MES_ADD1_GREEDY ? "mes-add1-greedy"
           : r == RULE_MES_ADD1      ? "mes-add1"
           : r == RULE_MES           ? "mes"
           : r == RULE_GREEDY_SCORE  ? "greedy-score"
                                     : "greedy";
}

static void write_audit(FILE *f, const struct pub *pb, enum lang l)
{
    const struct election *el = pb->el;
    char hx[65], fpr[FPR_TEXT_LEN + 1], n1[48];
    page_begin(f, pb, l, P_AUDIT, "audit.html", T(M_AUDIT_TITLE, l));
    fprintf(f, "<p>%s</p>\n<h2>%s</h2>\n<table>\n<caption>%s</caption>\n<tbody>\n",
            T(M_AUDIT_INTRO, l), T(M_FPR, l), T(M_FPR, l));
    hex_encode(hx, pb->pkg_hash, 32);
    fprintf(f, "<tr><th scope=\"row\">%s</th><td class=\"mono\">%s", T(M_PKG_HASH, l), hx);
    fprintf(f, "</td></tr>\n");
    fingerprint(fpr, el->authority_pk, SIGN_PK_LEN);
    fprintf(f, "<tr><th scope=\"row\">%s</th><td class=\"mono\">%s</td></tr>\n", T(M_AUTH_KEY, l),
            fpr);
    fingerprint(fpr, el->tally_pk, BOX_PK_LEN);
    fprintf(f, "<tr><th scope=\"row\">%s</th><td class=\"mono\">%s</td></tr>\n", T(M_TALLY_KEY, l),
            fpr);
    fprintf(f, "</tbody>\n</table>\n");

    fprintf(f,
            "<table>\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th><th "
            "scope=\"col\">%s</th><th scope=\"col\" class=\"n\">%s</th><th "
            "scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
            T(M_KIOSK_KEYS, l), T(M_KIOSK, l), T(M_FPR1, l), T(M_VOTES_CAST, l), T(M_POLLS, l));
    for (size_t i = 0; i < el->nkiosks; i++) {
        const struct pub_kiosk *k = NULL;
        for (size_t j = 0; j < pb->nk; j++)
            if (!memcmp(pb->k[j].pk, el->kiosk_pks[i], 32))
                k = &pb->k[j];
        fingerprint(fpr, el->kiosk_pks[i], SIGN_PK_LEN);
        fprintf(f, "<tr><th scope=\"row\">");
        pub_html(f, el->kiosk_labels[i]);
        fprintf(f, "</th><td class=\"mono\">%s</td><td class=\"n\">%s</td><td>", fpr,
                k ? num(n1, sizeof n1, k->ballots, l) : "—");
        pub_html(f, k ? state_text(k->state, l) : "—");
        fprintf(f, "</td></tr>\n");
    }
    fprintf(f, "</tbody>\n</table>\n");

    fprintf(f, "<h2>%s</h2>\n", T(M_OVERRIDES, l));
    if (!pb->nov)
        fprintf(f, "<p>%s</p>\n", T(M_NO_OVERRIDES, l));
    for (size_t i = 0; i < pb->nov; i++) {
        fprintf(f, "<pre>");
        htmlf(f, "%s — %s — %s: \"%s\"\n", pb->ov[i].day, pb->ov[i].who, pb->ov[i].source,
              pb->ov[i].reason);
        pub_html(f, pb->ov[i].problems);
        fprintf(f, "</pre>\n");
    }

    fprintf(f,
            "<h2>%s</h2>\n<table>\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s"
            "</th><th scope=\"col\" class=\"n\">%s</th><th scope=\"col\">BLAKE2b-256</th>"
            "</tr></thead>\n<tbody>\n",
            T(M_FILES, l), T(M_FILES, l), T(M_FILE, l), T(M_SIZE, l));
    for (size_t i = 0; i < pb->nfiles; i++) {
        hex_encode(hx, pb->files[i].hash, 32);
        fprintf(f, "<tr><th scope=\"row\" class=\"mono\">");
        pub_html(f, pb->files[i].name);
        fprintf(f, "</th><td class=\"n\">%s</td><td class=\"mono\">%s</td></tr>\n",
                num(n1, sizeof n1, (int64_t)pb->files[i].size, l), hx);
    }
    fprintf(f, "</tbody>\n</table>\n");

    char ties[128];
    ties_text(ties, sizeof ties, el);
    fprintf(f, "<h2>%s</h2>\n<p>%s</p>\n<pre><code>cd data\nb2sum -l 256 -c B2SUMS</code></pre>\n",
            T(M_COMMANDS, l), T(M_CMD_SUMS, l));
    fprintf(f, "<p>%s</p>\n<pre><code>", T(M_CMD_RECOUNT, l));
    for (size_t d = 0; d < el->nballots; d++) {
        fprintf(f, "tally pb-count ");
        pub_html(f, pb->b[d].pb);
        fprintf(f, " --rule %s --tie %s\n", pb_rule(pb->b[d].rule), ties);
    }
    fprintf(f,
            "</code></pre>\n<p>%s</p>\n<pre><code>tally import --db check.sqlite --package "
            "election.pkg --authority AUTH.pub%s BUNDLE...\n"
            "tally tracking --db check.sqlite%s --out codes.csv\n"
            "cmp codes.csv tracking-codes.csv</code></pre>\n",
            T(M_CMD_IMPORT, l), el->demo ? " --demo" : "", el->demo ? " --demo" : "");
    fprintf(f,
            "<p>%s</p>\n<pre><code>SOURCE_DATE_EPOCH=$(date -d %s +%%s) tally publish --db "
            "check.sqlite --tally-key TALLY.key%s --out site-check\n"
            "diff -r site-check SITE</code></pre>\n",
            T(M_CMD_REPUBLISH, l), pb->day, el->demo ? " --demo" : "");
    page_end(f, pb, l);
}

/* index.html at the top: the election's name in every language and a link to each. */
static void write_root(FILE *f, const struct pub *pb)
{
    const struct election *el = pb->el;
    enum lang first = el->nlangs ? el->langs[0] : LANG_FR;
    fprintf(f,
            "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"%s\">\n<title>",
            lang_code(first), CSP);
    pub_html(f, text_get(&el->name, first));
    fprintf(f, "</title>\n<link rel=\"stylesheet\" href=\"style.css\">\n</head>\n<body>\n"
               "<main id=\"main\">\n<h1>");
    pub_html(f, text_get(&el->name, first));
    fprintf(f, "</h1>\n<ul class=\"cards\">\n");
    for (int l = 0; l < LANG_COUNT; l++) {
        fprintf(f,
                "<li lang=\"%s\"><h2><a href=\"%s/index.html\" hreflang=\"%s\">%s</a></h2>"
                "<p>",
                lang_code((enum lang)l), lang_code((enum lang)l), lang_code((enum lang)l),
                LANG_NAME[l]);
        pub_html(f, text_get(&el->name, (enum lang)l));
        fprintf(f, " — %s</p><p><a href=\"%s/track.html\">%s</a></p></li>\n",
                T(M_RESULTS, (enum lang)l), lang_code((enum lang)l), T(M_TRACK, (enum lang)l));
    }
    fprintf(f, "</ul>\n</main>\n</body>\n</html>\n");
}

int pub_write_pages(const struct pub *pb, struct err *e)
{
    int rc = 0;
    FILE *f = pub_open(pb, "index.html", e);
    if (!f)
        return e->code;
    write_root(f, pb);
    rc = pub_close(f, "index.html", e);
    for (int li = 0; li < LANG_COUNT && !rc; li++) {
        enum lang l = (enum lang)li;
        static const enum page PAGES[] = {P_INDEX, P_TURNOUT, P_TRACK, P_DATA, P_AUDIT};
        static const char *const NAMES[] = {"index.html", "turnout.html", "track.html", "data.html",
                                            "audit.html"};
        for (size_t p = 0; p < ARRAY_LEN(PAGES) && !rc; p++) {
            char rel[64];
            snprintf(rel, sizeof rel, "%s/%s", lang_code(l), NAMES[p]);
            f = pub_open(pb, rel, e);
            if (!f)
                return e->code;
            switch (PAGES[p]) {
            case P_INDEX:
                write_index(f, pb, l);
                break;
            case P_TURNOUT:
                write_turnout(f, pb, l);
                break;
            case P_TRACK:
                write_track(f, pb, l);
                break;
            case P_DATA:
                write_data(f, pb, l);
                break;
            default:
                write_audit(f, pb, l);
                break;
            }
            rc = pub_close(f, rel, e);
        }
        for (size_t d = 0; d < pb->el->nballots && !rc; d++) {
            char rel[256];
            snprintf(rel, sizeof rel, "%s/ballot-%s.html", lang_code(l), pb->el->ballots[d].id);
            f = pub_open(pb, rel, e);
            if (!f)
                return e->code;
            write_ballot(f, pb, d, l);
            rc = pub_close(f, rel, e);
        }
    }
    return rc;
}
