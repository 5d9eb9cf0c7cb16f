add_library(isoloir_journal STATIC journal.c tracking.c)
target_link_libraries(isoloir_journal PUBLIC isoloir_base isoloir_keys isoloir_ballot SQLite::SQLite3)
target_link_libraries(isoloir_core INTERFACE isoloir_journal)
