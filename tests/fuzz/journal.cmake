# fuzz_vote: vote_decode (strict, canonical) on arbitrary bytes.
# fuzz_journal: journal_verify on arbitrary SQLite files; seeds are the journal test vectors.
# Both use the unit-test fixture election, compiled in (the unit tests are not built in a
# fuzzing build).
foreach(t fuzz_vote fuzz_journal)
  isoloir_fuzz(${t} SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/${t}.c
               ${PROJECT_SOURCE_DIR}/tests/unit/fixture.c
               LIBS isoloir_core SQLite::SQLite3 CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/${t})
  target_include_directories(${t} PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit)
endforeach()
