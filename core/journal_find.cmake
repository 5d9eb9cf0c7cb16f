# journal_find — after-the-fact questions about a journal file (is this ballot in it?), built
# on the journal's public verifier.
add_library(isoloir_journal_find STATIC journal_find.c)
target_link_libraries(isoloir_journal_find PUBLIC isoloir_journal)
target_link_libraries(isoloir_core INTERFACE isoloir_journal_find)
