/*
 * publish_words — every sentence of the published site, in French, Dutch and English, side by
 * side so a reviewer reads the three languages together; printf formats take their arguments
 * in the same order in every language.
 */
#include "publish_int.h"

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

const char *pub_t(enum pub_msg m, enum lang l)
{
    return MSG[m][l];
}

const char *const PUB_LANG_NAME[LANG_COUNT] = {"Français", "Nederlands", "English"};
