/* catalog — the kiosk's catalogue; see catalog.h. One row per message: fr, nl, en. */
#include "catalog.h"

#include "util.h"

static const char *const CATALOGUE[M_MSG_COUNT][LANG_COUNT] = {
    [M_CHOOSE_LANGUAGE] = {"Choisissez votre langue", "Kies uw taal", "Choose your language"},
    [M_LANGUAGE_NAME] = {"Français", "Nederlands", "English"},
    [M_DEMO_BANNER] = {"DÉMONSTRATION — ce vote ne compte pas",
                       "DEMONSTRATIE — deze stem telt niet",
                       "DEMONSTRATION — this vote does not count"},
    [M_START] = {"Commencer", "Beginnen", "Start"},
    [M_HOWTO_TITLE] = {"Comment voter", "Hoe stemmen", "How to vote"},
    [M_HOWTO_SECRET] = {"Votre vote est secret : il est chiffré avant d'être enregistré et "
                        "personne ne peut le relier à vous.",
                        "Uw stem is geheim: ze wordt versleuteld voor ze wordt bewaard en "
                        "niemand kan ze aan u koppelen.",
                        "Your vote is secret: it is encrypted before it is stored and nobody "
                        "can link it to you."},
    [M_HOWTO_BALLOTS] = {"Vous remplirez %u bulletin, puis vous vérifierez vos choix avant "
                         "de confirmer.",
                         "U vult %u stembiljet in en controleert daarna uw keuzes voor u "
                         "bevestigt.",
                         "You will fill in %u ballot, then check your choices before you "
                         "confirm."},
    [M_RULE_APPROVAL] = {"Choisissez entre %u et %u projets.", "Kies tussen %u en %u projecten.",
                         "Choose between %u and %u projects."},
    [M_RULE_APPROVAL_MAX] = {"Choisissez jusqu'à %u projets.", "Kies maximaal %u projecten.",
                             "Choose up to %u projects."},
    [M_RULE_KNAPSACK] = {"Choisissez des projets dont le coût total ne dépasse pas %s.",
                         "Kies projecten die samen niet meer kosten dan %s.",
                         "Choose projects whose total cost is at most %s."},
    [M_RULE_CUMULATIVE] = {"Répartissez %u points, au plus %u par projet.",
                           "Verdeel %u punten, hoogstens %u per project.",
                           "Spread %u points, at most %u on one project."},
    [M_RULE_RANKING] = {"Classez jusqu'à %u projets, du préféré au moins préféré : touchez-les "
                        "dans l'ordre.",
                        "Rangschik maximaal %u projecten, van meest tot minst gewenst: tik ze in "
                        "volgorde aan.",
                        "Rank up to %u projects, your favourite first: tap them in order."},
    [M_DISTRICT_TITLE] = {"Dans quel quartier habitez-vous ?", "In welke wijk woont u?",
                          "Which district do you live in?"},
    [M_DISTRICT_NONE] = {"Aucun de ces quartiers", "Geen van deze wijken", "None of these"},
    [M_CHOSEN_OF] = {"%u sur %u choisis", "%u van %u gekozen", "%u of %u chosen"},
    [M_BUDGET_LEFT] = {"Il reste %s", "Nog %s over", "%s left"},
    [M_POINTS_LEFT] = {"%u points restants", "Nog %u punten", "%u points left"},
    [M_RANKED_OF] = {"%u sur %u classés", "%u van %u gerangschikt", "%u of %u ranked"},
    [M_REFUSE_TOO_MANY] = {"Vous avez déjà choisi %u projets, le maximum. Retirez-en un pour "
                           "choisir celui-ci.",
                           "U koos al %u projecten, het maximum. Verwijder er een om dit "
                           "project te kiezen.",
                           "You have already chosen %u projects, the most allowed. Remove one "
                           "to choose this one."},
    [M_REFUSE_BUDGET] = {"Ce projet ne rentre pas : il manque %s. Retirez un autre projet "
                         "pour lui faire de la place.",
                         "Dit project past niet: er ontbreekt %s. Verwijder een ander project "
                         "om plaats te maken.",
                         "This project does not fit: %s is missing. Remove another project to "
                         "make room."},
    [M_REFUSE_POINTS] = {"Vous avez donné tous vos points. Retirez-en d'abord ailleurs.",
                         "U hebt al uw punten gegeven. Neem er eerst ergens een paar terug.",
                         "You have given all your points. Take some back first."},
    [M_REFUSE_PROJECT_MAX] = {"Au plus %u points par projet.", "Hoogstens %u punten per project.",
                              "At most %u points on one project."},
    [M_SELECTED] = {"Choisi", "Gekozen", "Chosen"},
    [M_CHOOSE] = {"Choisir", "Kiezen", "Choose"},
    [M_DETAILS] = {"En savoir plus", "Meer lezen", "Read more"},
    [M_CLOSE] = {"Fermer", "Sluiten", "Close"},
    [M_NEXT] = {"Suivant", "Volgende", "Next"},
    [M_BACK] = {"Retour", "Terug", "Back"},
    [M_REVIEW] = {"Vérifier mon vote", "Mijn stem nakijken", "Review my vote"},
    [M_REVIEW_TITLE] = {"Vérifiez votre vote", "Kijk uw stem na", "Check your vote"},
    [M_REVIEW_BLANK] = {"Bulletin blanc : vous n'avez choisi aucun projet.",
                        "Blanco: u koos geen enkel project.",
                        "Blank ballot: you chose no project."},
    [M_REVIEW_UNDER] = {"Vous avez choisi %u projet ; vous pouvez en choisir jusqu'à %u.",
                        "U koos %u project; u mag er maximaal %u kiezen.",
                        "You chose %u project; you may choose up to %u."},
    [M_REVIEW_TOTAL] = {"Total : %s", "Totaal: %s", "Total: %s"},
    [M_CHANGE] = {"Modifier", "Wijzigen", "Change"},
    [M_CONFIRM] = {"Confirmer mon vote", "Mijn stem bevestigen", "Confirm my vote"},
    [M_CONFIRM_QUESTION] = {"Confirmer ? Un vote enregistré ne peut plus être modifié.",
                            "Bevestigen? Een geregistreerde stem kan niet meer worden gewijzigd.",
                            "Confirm? A recorded vote cannot be changed."},
    [M_YES_CAST] = {"Oui, voter", "Ja, stemmen", "Yes, cast my vote"},
    [M_NO_BACK] = {"Non, revenir", "Nee, terug", "No, go back"},
    [M_RECORDED] = {"Votre vote est enregistré. Merci !", "Uw stem is geregistreerd. Bedankt!",
                    "Your vote is recorded. Thank you!"},
    [M_TRACKING_INTRO] = {"Votre code de suivi :", "Uw volgcode:", "Your tracking code:"},
    [M_TRACKING_HOW] = {"Notez-le. Après le dépouillement, la liste publiée des codes vous "
                        "permettra de vérifier que votre bulletin a été compté. Il ne révèle "
                        "pas vos choix.",
                        "Noteer hem. Na de telling kunt u in de gepubliceerde lijst van codes "
                        "nagaan dat uw stem werd meegeteld. Hij verraadt uw keuzes niet.",
                        "Write it down. After the count, the published list of codes lets you "
                        "check that your ballot was counted. It does not reveal your choices."},
    [M_FINISH] = {"Terminer", "Afsluiten", "Finish"},
    [M_IDLE_TITLE] = {"Êtes-vous toujours là ?", "Bent u er nog?", "Are you still there?"},
    [M_IDLE_BODY] = {"Sans réponse, votre vote en cours sera effacé dans %u seconde.",
                     "Zonder antwoord wordt uw onafgewerkte stem over %u seconde gewist.",
                     "Without an answer, your unfinished vote will be erased in %u second."},
    [M_IDLE_CONTINUE] = {"Continuer", "Doorgaan", "Continue"},
    [M_CANCEL] = {"Abandonner", "Stoppen", "Cancel"},
    [M_CANCEL_QUESTION] = {"Abandonner et effacer vos choix ?", "Stoppen en uw keuzes wissen?",
                           "Cancel and erase your choices?"},
    [M_CANCEL_YES] = {"Oui, effacer", "Ja, wissen", "Yes, erase"},
    [M_LARGER_TEXT] = {"A+ Texte", "A+ Tekst", "A+ Text"},
    [M_CONTRAST] = {"Contraste", "Contrast", "Contrast"},
    [M_CAST_FAILED] = {"Votre vote n'a PAS été enregistré. Appelez un membre du personnel.",
                       "Uw stem werd NIET geregistreerd. Roep een medewerker.",
                       "Your vote was NOT recorded. Please call a member of staff."},
    [M_ALL_CATEGORIES] = {"Tout", "Alles", "All"},
    [M_POINTS_ON] = {"%u points", "%u punten", "%u points"},
    [M_RANK] = {"n° %u", "nr. %u", "#%u"},
    [M_PROJECTS] = {"%u projets", "%u projecten", "%u projects"},
    [M_CLOSED_TITLE] = {"Ce bureau de vote n'est pas ouvert", "Dit stembureau is niet open",
                        "This vote point is not open"},
    [M_CLOSED_BODY] = {"Adressez-vous au personnel du bureau de vote.",
                       "Wend u tot het personeel van het stembureau.",
                       "Please ask the staff of the vote point."},
    [M_OFFICIAL_TITLE] = {"Menu des responsables", "Menu voor de verantwoordelijken",
                          "Officials' menu"},
    [M_PIN_TITLE] = {"Code du responsable", "Code van de verantwoordelijke", "Official's PIN"},
    [M_PIN_ERASE] = {"Effacer", "Wissen", "Erase"},
    [M_PIN_OK] = {"Valider", "Bevestigen", "OK"},
    [M_POLLS_OPEN] = {"Ouvrir le scrutin", "Stemming openen", "Open polls"},
    [M_POLLS_PAUSE] = {"Suspendre", "Onderbreken", "Pause"},
    [M_POLLS_RESUME] = {"Reprendre", "Hervatten", "Resume"},
    [M_POLLS_CLOSE] = {"Clôturer le scrutin", "Stemming sluiten", "Close polls"},
    [M_CLOSE_Q1] = {"Clôturer le scrutin ? Plus personne ne pourra voter ici.",
                    "De stemming sluiten? Niemand kan hier nog stemmen.",
                    "Close the polls? Nobody will be able to vote here any more."},
    [M_CLOSE_Q2] = {"Confirmez encore : la clôture ne peut pas être annulée.",
                    "Bevestig nogmaals: het sluiten kan niet ongedaan worden gemaakt.",
                    "Confirm again: closing cannot be undone."},
    [M_CLOSE_YES] = {"Oui, clôturer", "Ja, sluiten", "Yes, close"},
    [M_BACK_TO_VOTERS] = {"Retour aux électeurs", "Terug naar de kiezers", "Back to voters"},
    [M_ST_POLLS] = {"Scrutin : %s", "Stemming: %s", "Polls: %s"},
    [M_ST_COUNTS] = {"Bulletins : %llu    Cartes d'électeur utilisées : %llu",
                     "Stembiljetten: %llu    Gebruikte kiezerskaarten: %llu",
                     "Ballots: %llu    Voter cards used: %llu"},
    [M_ST_JOURNAL] = {"Journal : vérifié au démarrage, %llu ligne",
                      "Logboek: gecontroleerd bij het opstarten, %llu rij",
                      "Journal: verified when the kiosk started, %llu row"},
    [M_ST_DISK] = {"Disque libre : %llu Mo (environ %llu bulletins de plus)",
                   "Vrije schijfruimte: %llu MB (ongeveer %llu stembiljetten meer)",
                   "Free disk: %llu MB (about %llu more ballots)"},
    [M_ST_KIOSK] = {"Clé de la borne : %s", "Sleutel van de zuil: %s", "Kiosk key: %s"},
    [M_ST_PACKAGE] = {"Paquet électoral : %s", "Verkiezingspakket: %s", "Package: %s"},
    [M_ST_CLOCK] = {"Horloge : %s", "Klok: %s", "Clock: %s"},
    [M_WAIT_OFFICIAL] = {"Bienvenue. Un membre du personnel va ouvrir le vote pour vous.",
                         "Welkom. Een medewerker zal de stemming voor u openen.",
                         "Welcome. A member of staff will open the vote for you."},
    [M_ENABLE_TITLE] = {"Électeur suivant", "Volgende kiezer", "Next voter"},
    [M_ENABLE_VOTER] = {"Autoriser un électeur", "Eén kiezer toelaten", "Enable one voter"},
    [M_ENABLE_CITY] = {"Bulletins régionaux seulement", "Enkel gewestelijke stembiljetten",
                       "Citywide ballots only"},
    [M_ENABLE_ANY] = {"L'électeur choisit son quartier", "De kiezer kiest zijn wijk",
                      "The voter chooses the district"},
    [M_ENABLE_HINT] = {"Une autorisation vaut un seul vote. Touche F9 d'un clavier : autoriser "
                       "sans ouvrir ce menu, pendant 5 minutes après le code PIN (ensuite F9 "
                       "le redemande).",
                       "Eén toelating is goed voor één stem. Toets F9 van een toetsenbord: "
                       "toelaten zonder dit menu, tot 5 minuten na de pincode (daarna vraagt F9 "
                       "ze opnieuw).",
                       "One enable is good for one vote. Key F9 on a keyboard: enable without "
                       "this menu, for 5 minutes after the PIN (then F9 asks for it again)."},
    [M_TOKEN_TITLE] = {"Votre code de vote", "Uw stemcode", "Your voting code"},
    [M_TOKEN_BODY] = {"Tapez le code imprimé sur votre carte d'électeur (ou scannez-la). Les "
                      "tirets ne sont pas nécessaires.",
                      "Typ de code op uw kiezerskaart (of scan ze). De streepjes zijn niet "
                      "nodig.",
                      "Type the code printed on your voter card (or scan it). The dashes are "
                      "not needed."},
    [M_TOKEN_ERASE] = {"Effacer", "Wissen", "Erase"},
    [M_EXPORT] = {"Exporter sur clé USB", "Exporteren naar USB-stick", "Export to USB stick"},
    [M_EXPORT_NO_STICK] = {"Aucune clé USB trouvée : insérez une clé vide et réessayez.",
                           "Geen USB-stick gevonden: steek een lege stick in en probeer opnieuw.",
                           "No USB stick found: insert an empty stick and try again."},
    [M_EXPORT_DONE] =
        {"Export vérifié sur la clé (%s, %llu bulletins). Vous pouvez retirer la clé.",
         "Export gecontroleerd op de stick (%s, %llu stembiljetten). U mag de stick "
         "verwijderen.",
         "Export verified on the stick (%s, %llu ballots). You may remove the stick."},
    [M_EXPORT_FAILED] = {"L'export n'a pas abouti ; les bulletins restent intacts sur la borne. "
                         "Raison : %s",
                         "De export is niet gelukt; de stembiljetten blijven intact op de zuil. "
                         "Reden: %s",
                         "The export did not succeed; the ballots are safe on the kiosk. "
                         "Reason: %s"},
    [M_INSTALL] = {"Installer un paquet", "Pakket installeren", "Install a package"},
    [M_INSTALL_CONFIRM] = {"Installer ce paquet et redémarrer",
                           "Dit pakket installeren en herstarten",
                           "Install this package and restart"},
    [M_INSTALL_SHOW] =
        {"Paquet sur la clé : %s (%s)\nEmpreinte du paquet : %s\nAutorité : %s\n%zu "
         "projets. Comparez les empreintes avec celles que l'autorité a publiées. "
         "Le journal actuel sera archivé sur la borne, jamais effacé.",
         "Pakket op de stick: %s (%s)\nVingerafdruk van het pakket: %s\nInstantie: "
         "%s\n%zu projecten. Vergelijk de vingerafdrukken met die welke de instantie "
         "bekendmaakte. Het huidige logboek wordt op de zuil gearchiveerd, nooit "
         "gewist.",
         "Package on the stick: %s (%s)\nPackage fingerprint: %s\nAuthority: %s\n%zu "
         "projects. Compare the fingerprints with those the authority published. "
         "The current journal will be archived on the kiosk, never erased."},
    [M_INSTALL_REFUSED] = {"Ce paquet ne peut pas être installé : %s",
                           "Dit pakket kan niet worden geïnstalleerd: %s",
                           "This package cannot be installed: %s"},
    [M_INSTALL_DONE] = {"Paquet installé. La borne redémarre.",
                        "Pakket geïnstalleerd. De zuil herstart.",
                        "Package installed. The kiosk restarts."},
    [M_ST_STICK] = {"Clé USB : %s", "USB-stick: %s", "USB stick: %s"},
    [M_ST_NO_STICK] = {"Clé USB : aucune", "USB-stick: geen", "USB stick: none"},
    [M_ST_MODE_ATTENDED] = {"Électeurs : autorisés par le personnel",
                            "Kiezers: toegelaten door een medewerker",
                            "Voters: enabled by an official"},
    [M_ST_MODE_TOKEN] = {"Électeurs : carte d'électeur", "Kiezers: kiezerskaart",
                         "Voters: voter card"},
    [M_STATE_NOT_OPENED] = {"pas encore ouvert", "nog niet geopend", "not opened"},
    [M_STATE_OPEN] = {"ouvert", "open", "open"},
    [M_STATE_PAUSED] = {"suspendu", "onderbroken", "paused"},
    [M_STATE_CLOSED] = {"clos", "gesloten", "closed"},
    [M_CAST_UNKNOWN] = {"Nous ne pouvons pas savoir si votre vote a été enregistré. Ne votez pas à "
                        "nouveau pour l'instant : appelez un membre du personnel.",
                        "We kunnen niet nagaan of uw stem geregistreerd werd. Stem voorlopig "
                        "niet opnieuw: roep een medewerker.",
                        "We cannot tell whether your vote was recorded. Do not vote again for "
                        "now: please call a member of staff."},
    [M_NOTE_NOT_RECORDED] = {"Dernier vote : échec, vérifié dans le journal : NON enregistré. "
                             "L'électeur peut voter à nouveau (autorisez-le encore une fois).",
                             "Laatste stem: mislukt, nagekeken in het logboek: NIET "
                             "geregistreerd. De kiezer mag opnieuw stemmen (laat hem nog eens "
                             "toe).",
                             "Last vote: failed, checked in the journal: NOT recorded. The voter "
                             "may vote again (enable them once more)."},
    [M_NOTE_RECORDED_ERR] = {"Dernier vote : erreur de stockage, mais le bulletin EST dans le "
                             "journal (code %s). Ne laissez pas cet électeur revoter. Suspendez "
                             "et appelez votre superviseur.",
                             "Laatste stem: opslagfout, maar het stembiljet STAAT in het logboek "
                             "(code %s). Laat deze kiezer niet opnieuw stemmen. Pauzeer en bel "
                             "uw supervisor.",
                             "Last vote: a storage error, but the ballot IS in the journal (code "
                             "%s). Do not let this voter vote again. Pause and call your "
                             "supervisor."},
    [M_NOTE_UNKNOWN] = {"Dernier vote : la borne ne peut pas savoir s'il est enregistré (journal "
                        "illisible). Ne laissez pas l'électeur revoter. Éteignez et rallumez la "
                        "borne : au démarrage, elle vérifie et l'affiche ici. Appelez votre "
                        "superviseur.",
                        "Laatste stem: de zuil kan niet nagaan of ze geregistreerd is (logboek "
                        "onleesbaar). Laat de kiezer niet opnieuw stemmen. Zet de zuil uit en "
                        "weer aan: bij het opstarten controleert hij het en toont het hier. Bel "
                        "uw supervisor.",
                        "Last vote: the kiosk cannot tell whether it is recorded (the journal "
                        "cannot be read). Do not let the voter vote again. Switch the kiosk off "
                        "and on: at start it checks and shows the answer here. Call your "
                        "supervisor."},
    [M_NOTE_RESTART_REC] = {"La borne s'est arrêtée pendant un vote : ce bulletin EST dans le "
                            "journal (code %s). Ne laissez pas cet électeur revoter.",
                            "De zuil stopte tijdens een stemming: dat stembiljet STAAT in het "
                            "logboek (code %s). Laat die kiezer niet opnieuw stemmen.",
                            "The kiosk stopped during a vote: that ballot IS in the journal (code "
                            "%s). Do not let that voter vote again."},
    [M_NOTE_RESTART_NOT] = {"La borne s'est arrêtée pendant un vote : ce bulletin n'est PAS dans "
                            "le journal. L'électeur peut voter à nouveau.",
                            "De zuil stopte tijdens een stemming: dat stembiljet staat NIET in "
                            "het logboek. De kiezer mag opnieuw stemmen.",
                            "The kiosk stopped during a vote: that ballot is NOT in the journal. "
                            "The voter may vote again."},
    [M_NOTE_RESTART_UNK] = {"La borne s'est arrêtée pendant un vote et ne peut pas savoir si ce "
                            "bulletin est enregistré. Ne laissez pas l'électeur revoter ; "
                            "appelez votre superviseur.",
                            "De zuil stopte tijdens een stemming en kan niet nagaan of dat "
                            "stembiljet geregistreerd is. Laat de kiezer niet opnieuw stemmen; "
                            "bel uw supervisor.",
                            "The kiosk stopped during a vote and cannot tell whether that ballot "
                            "is recorded. Do not let the voter vote again; call your supervisor."},
    [M_ST_NO_JOURNAL] = {"Journal : illisible. Éteignez et rallumez la borne ; si elle ne démarre "
                         "pas, appelez votre superviseur.",
                         "Logboek: onleesbaar. Zet de zuil uit en weer aan; start hij niet, bel "
                         "dan uw supervisor.",
                         "Journal: cannot be read. Switch the kiosk off and on; if it does not "
                         "start, call your supervisor."},
    [M_ST_COUNTS_ENABLES] = {"Bulletins : %llu    Électeurs autorisés : %llu",
                             "Stembiljetten: %llu    Toegelaten kiezers: %llu",
                             "Ballots: %llu    Voters enabled: %llu"},
    [M_ST_ENABLE_DIFF] = {" (%llu autorisation sans bulletin)",
                          " (%llu toegelaten zonder stembiljet)",
                          " (%llu enabled without a ballot)"},
    [M_ST_BALLOT_DIFF] = {" (%llu bulletin de plus que d'autorisations)",
                          " (%llu stembiljet meer dan toelatingen)",
                          " (%llu ballot more than enables)"},
    [M_ENABLE_FAILED] = {"L'autorisation n'a pas pu être enregistrée : l'électeur n'est pas "
                         "autorisé. Réessayez ; si cela se répète, appelez votre superviseur.",
                         "De toelating kon niet bewaard worden: de kiezer is niet toegelaten. "
                         "Probeer opnieuw; gebeurt het weer, bel dan uw supervisor.",
                         "The enable could not be saved: the voter is not enabled. Try again; "
                         "if it happens again, call your supervisor."},
    [M_CLOCK_WARNING] = {"Attention : l'horloge de la borne indique %s, en dehors de la période "
                         "de vote (du %s au %s). Si l'horloge est fausse, n'ouvrez pas : appelez "
                         "votre superviseur. Si vous ouvrez quand même, c'est noté dans le "
                         "journal.",
                         "Opgelet: de klok van de zuil geeft %s aan, buiten de stemperiode (van "
                         "%s tot %s). Is de klok fout, open dan niet: bel uw supervisor. Opent u "
                         "toch, dan wordt dat in het logboek genoteerd.",
                         "Warning: the kiosk's clock says %s, outside the voting period (%s to "
                         "%s). If the clock is wrong, do not open: call your supervisor. If you "
                         "open anyway, this is noted in the journal."},
    [M_CLOCK_OPEN_ANYWAY] = {"Ouvrir quand même", "Toch openen", "Open anyway"},
    [M_EXPORT_WHY_FULL] = {"la clé est pleine : utilisez une clé vide",
                           "de stick is vol: gebruik een lege stick",
                           "the stick is full: use an empty stick"},
    [M_EXPORT_WHY_REMOVED] = {"la clé a été retirée ou ne répond plus : remettez-la et "
                              "réessayez",
                              "de stick werd verwijderd of reageert niet meer: steek hem "
                              "opnieuw in en probeer opnieuw",
                              "the stick was removed or stopped answering: insert it again and "
                              "retry"},
    [M_EXPORT_WHY_READ_ONLY] = {"la clé est protégée en écriture : utilisez une autre clé",
                                "de stick is beveiligd tegen schrijven: gebruik een andere stick",
                                "the stick is read-only: use another stick"},
    [M_EXPORT_WHY_FOREIGN_FS] = {"la clé est formatée pour un autre système : utilisez une clé "
                                 "préparée par l'autorité",
                                 "de stick is voor een ander systeem geformatteerd: gebruik een "
                                 "stick van de overheid",
                                 "the stick is formatted for another system: use a stick "
                                 "prepared by the authority"},
    [M_EXPORT_WHY_DENIED] = {"la borne n'a pas le droit d'écrire sur la clé : utilisez une autre "
                             "clé",
                             "de zuil mag niet op de stick schrijven: gebruik een andere stick",
                             "the kiosk may not write on the stick: use another stick"},
    [M_EXPORT_WHY_VERIFY] = {"la copie sur la clé ne correspond pas : la clé est défaillante, "
                             "utilisez-en une autre",
                             "de kopie op de stick klopt niet: de stick is defect, gebruik een "
                             "andere",
                             "the copy on the stick does not match: the stick is failing, use "
                             "another one"},
    [M_EXPORT_WHY_JOURNAL] = {"le journal de la borne n'a pas pu être lu ou n'a pas pu noter "
                              "l'export : appelez votre superviseur",
                              "het logboek van de zuil kon niet gelezen worden of kon de export "
                              "niet noteren: bel uw supervisor",
                              "the kiosk's journal could not be read or could not record the "
                              "export: call your supervisor"},
    [M_REPORT_NOT_SAVED] = {"(Ce rapport n'a pas pu être gardé pour l'export : recopiez-le sur le "
                            "formulaire et prévenez votre superviseur.)",
                            "(Dit rapport kon niet bewaard worden voor de export: schrijf het "
                            "over op het formulier en verwittig uw supervisor.)",
                            "(This report could not be kept for the export: copy it onto the "
                            "report form and tell your supervisor.)"},
    [M_EXPORT_WHY_OTHER] = {"erreur inattendue (le détail est dans le journal du système) : "
                            "réessayez avec une autre clé, puis appelez votre superviseur",
                            "onverwachte fout (details in het systeemlogboek): probeer met een "
                            "andere stick, bel daarna uw supervisor",
                            "unexpected error (the details are in the system log): try another "
                            "stick, then call your supervisor"},
    [M_SAY_SELECTED] = {"sélectionné", "gekozen", "selected"},
    [M_SAY_UNAVAILABLE] = {"indisponible", "niet beschikbaar", "unavailable"},
    [M_SAY_HINT] = {"Touches 8 et 2 pour parcourir, 5 pour choisir, 0 pour l'aide.",
                    "Toetsen 8 en 2 om te bladeren, 5 om te kiezen, 0 voor hulp.",
                    "Keys 8 and 2 to move, 5 to choose, 0 for help."},
    [M_SAY_HELP] = {"Aide du clavier. 8 : élément précédent. 2 : élément suivant. 5 ou Entrée : "
                    "choisir ou appuyer. 4 : revenir en arrière. 6 : étape suivante. Point : "
                    "répéter. Plus et moins : volume. Étoile et barre oblique : vitesse de la "
                    "voix. 9 : éteindre ou rallumer l'écran. 7 : couper ou rétablir la voix. 0 : "
                    "cette aide.",
                    "Hulp bij het toetsenbord. 8: vorig element. 2: volgend element. 5 of Enter: "
                    "kiezen of drukken. 4: terug. 6: volgende stap. Punt: herhalen. Plus en min: "
                    "volume. Ster en schuine streep: spreeksnelheid. 9: scherm uit of weer aan. "
                    "7: stem uit of weer aan. 0: deze hulp.",
                    "Keypad help. 8: previous item. 2: next item. 5 or Enter: choose or press. "
                    "4: go back. 6: next step. Dot: repeat. Plus and minus: volume. Star and "
                    "slash: speed of the voice. 9: screen off or on again. 7: voice off or on "
                    "again. 0: this help."},
    [M_SAY_VOLUME] = {"Volume %u pour cent", "Volume %u procent", "Volume %u percent"},
    [M_SAY_RATE] = {"Vitesse %u mots par minute", "Snelheid %u woorden per minuut",
                    "Speed %u words a minute"},
    [M_SAY_SCREEN_OFF] = {"Écran éteint. Personne ne voit votre bulletin.",
                          "Scherm uit. Niemand ziet uw stembiljet.",
                          "Screen off. Nobody can see your ballot."},
    [M_SAY_SCREEN_ON] = {"Écran allumé.", "Scherm aan.", "Screen on."},
    [M_SAY_SPEECH_ON] = {"Voix rétablie.", "Stem weer aan.", "Voice on."},
    [M_SAY_NO_NEXT] = {"Pas d'étape suivante ici. Touche 2 pour parcourir.",
                       "Hier is geen volgende stap. Toets 2 om te bladeren.",
                       "No next step here. Key 2 to move."},
    [M_REVIEW_MONEY_LEFT] = {"Il vous reste %s : assez pour un projet que vous n'avez pas choisi "
                             "(par exemple « %s », %s).",
                             "U hebt nog %s over: genoeg voor een project dat u niet koos "
                             "(bijvoorbeeld \u201c%s\u201d, %s).",
                             "You have %s left: enough for a project you did not choose "
                             "(for example \u201c%s\u201d, %s)."},
    [M_REVIEW_POINTS_LEFT] = {"Vous n'avez pas donné %u point.", "U hebt %u punten niet gegeven.",
                              "You have not given %u points."},
    [M_RULE_KNAPSACK_MIN] = {"Choisissez des projets dont le coût total est d'au moins %s et "
                             "ne dépasse pas %s.",
                             "Kies projecten die samen minstens %s en niet meer dan %s kosten.",
                             "Choose projects that cost at least %s and at most %s in total."},
    [M_RULE_RANKING_MIN] = {"Classez entre %u et %u projets, du préféré au moins préféré.",
                            "Rangschik %u tot %u projecten, van meest tot minst gewenst.",
                            "Rank between %u and %u projects, from most to least preferred."},
    [M_NEED_MORE_CHOICES] = {"Pour continuer, choisissez encore au moins %u projet.",
                             "Kies nog minstens %u project om verder te gaan.",
                             "To go on, choose at least %u more project."},
    [M_NEED_MORE_MONEY] = {"Pour continuer, choisissez encore des projets pour au moins %s.",
                           "Kies nog projecten voor minstens %s om verder te gaan.",
                           "To go on, choose projects for at least %s more."},
    [M_NEED_FIX] = {"Ce bulletin ne respecte pas sa règle : corrigez vos choix pour continuer.",
                    "Dit stembiljet volgt zijn regel niet: pas uw keuzes aan om verder te gaan.",
                    "This ballot breaks its rule: change your choices to go on."},
    [M_NEED_FIX_BALLOT] = {"Le bulletin « %s » n'est pas complet : touchez « Modifier » pour le "
                           "compléter avant de voter.",
                           "Het stembiljet \u201c%s\u201d is niet volledig: tik op "
                           "\u201cWijzigen\u201d om het aan te vullen voor u stemt.",
                           "The ballot \u201c%s\u201d is not complete: touch \u201cChange\u201d to "
                           "complete it before you vote."},
    [M_REPRINT] = {"Réimprimer le dernier rapport", "Laatste rapport opnieuw afdrukken",
                   "Reprint the last report"},
    [M_PRINT_STARTED] = {"Le dernier rapport s'imprime.", "Het laatste rapport wordt afgedrukt.",
                         "The last report is printing."},
    [M_PRINT_NOTHING] = {"Aucun rapport à imprimer : ouvrez d'abord le scrutin.",
                         "Geen rapport om af te drukken: open eerst de stemming.",
                         "No report to print yet: open the polls first."},
    [M_PRINT_NO_PRINTER] = {"Aucune imprimante n'est prévue sur cette borne : les rapports sont "
                            "dans les fichiers exportés.",
                            "Deze zuil heeft geen printer ingesteld: de rapporten staan in de "
                            "geëxporteerde bestanden.",
                            "This kiosk has no printer set up: the reports are in the exported "
                            "files."},
    [M_ST_PRINTER] = {"Imprimante : %s", "Printer: %s", "Printer: %s"},
    [M_ST_UNPRINTED] = {"Le dernier rapport n'est pas imprimé : « Réimprimer ».",
                        "Het laatste rapport is niet afgedrukt: \u201cOpnieuw afdrukken\u201d.",
                        "The last report is not printed: \u201cReprint\u201d."},
    [M_TOUCH_TO_REMOVE] = {"Touchez à nouveau pour retirer ce projet.",
                           "Tik opnieuw om dit project te verwijderen.",
                           "Touch again to remove this project."},
    [M_LIST_POSITION] = {"Projets %u à %u sur %u", "Projecten %u tot %u van %u",
                         "Projects %u to %u of %u"},
};

/* Plural forms of the messages that take a count; the catalogue holds the singular. */
static const char *const PLURAL[M_MSG_COUNT][LANG_COUNT] = {
    [M_NEED_MORE_CHOICES] = {"Pour continuer, choisissez encore au moins %u projets.",
                             "Kies nog minstens %u projecten om verder te gaan.",
                             "To go on, choose at least %u more projects."},
    [M_IDLE_BODY] = {"Sans réponse, votre vote en cours sera effacé dans %u secondes.",
                     "Zonder antwoord wordt uw onafgewerkte stem over %u seconden gewist.",
                     "Without an answer, your unfinished vote will be erased in %u seconds."},
    [M_HOWTO_BALLOTS] = {"Vous remplirez %u bulletins, l'un après l'autre, puis vous "
                         "vérifierez vos choix avant de confirmer.",
                         "U vult %u stembiljetten in, na elkaar, en controleert daarna uw "
                         "keuzes voor u bevestigt.",
                         "You will fill in %u ballots, one after the other, then check your "
                         "choices before you confirm."},
    [M_REVIEW_UNDER] = {"Vous avez choisi %u projets ; vous pouvez en choisir jusqu'à %u.",
                        "U koos %u projecten; u mag er maximaal %u kiezen.",
                        "You chose %u projects; you may choose up to %u."},
    [M_ST_JOURNAL] = {"Journal : vérifié au démarrage, %llu lignes",
                      "Logboek: gecontroleerd bij het opstarten, %llu rijen",
                      "Journal: verified when the kiosk started, %llu rows"},
    [M_ST_ENABLE_DIFF] = {" (%llu autorisations sans bulletin)",
                          " (%llu toegelaten zonder stembiljet)",
                          " (%llu enabled without a ballot)"},
    [M_ST_BALLOT_DIFF] = {" (%llu bulletins de plus que d'autorisations)",
                          " (%llu stembiljetten meer dan toelatingen)",
                          " (%llu ballots more than enables)"},
    [M_REVIEW_POINTS_LEFT] = {"Vous n'avez pas donné %u points.", "U hebt %u punten niet gegeven.",
                              "You have not given %u points."},
};

const char *msg(enum msg m, enum lang l)
{
    if ((unsigned)m >= M_MSG_COUNT)
        return "";
    if ((unsigned)l >= LANG_COUNT)
        l = LANG_FR;
    const char *s = CATALOGUE[m][l];
    return s ? s : CATALOGUE[m][LANG_EN] ? CATALOGUE[m][LANG_EN] : "";
}

const char *msg_n(enum msg m, enum lang l, unsigned long long n)
{
    bool plural = l == LANG_FR ? n > 1 : n != 1;
    if (plural && (unsigned)m < M_MSG_COUNT && (unsigned)l < LANG_COUNT && PLURAL[m][l])
        return PLURAL[m][l];
    return msg(m, l);
}
