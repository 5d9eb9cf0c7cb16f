# The journal, split by job: the format both sides share (journal_format.c), the kiosk's
# append-only writer (journal.c), the verifier (journal_verify.c); and sealed votes: sealing
# (sealed.c, linked by the kiosk) and opening (sealed_open.c, in its own library that only
# the tally side links, so the kiosk binary holds no ballot decrypter).
# The verifier checks signatures on every core (pthreads).
find_package(Threads REQUIRED)
add_library(isoloir_journal STATIC journal.c journal_format.c journal_verify.c journal_rows.c sealed.c
            tracking.c)
target_link_libraries(isoloir_journal PUBLIC isoloir_base isoloir_keys isoloir_ballot
                      isoloir_bundle SQLite::SQLite3 Threads::Threads)
target_link_libraries(isoloir_core INTERFACE isoloir_journal)

add_library(isoloir_sealed_open STATIC sealed_open.c)
target_link_libraries(isoloir_sealed_open PUBLIC isoloir_base isoloir_keys isoloir_ballot)
target_link_libraries(isoloir_core INTERFACE isoloir_sealed_open)
