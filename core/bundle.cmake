# Export bundle format: manifest, journal snapshot, verifying reader (used by hw/export and
# the tally). Links only libsodium and SQLite.
add_library(isoloir_bundle STATIC bundle.c)
target_link_libraries(isoloir_bundle PUBLIC isoloir_base SQLite::SQLite3)
target_link_libraries(isoloir_core INTERFACE isoloir_bundle)
