add_library(isoloir_ballot STATIC ballot.c vote.c)
target_link_libraries(isoloir_ballot PUBLIC isoloir_base)
target_link_libraries(isoloir_core INTERFACE isoloir_ballot)
