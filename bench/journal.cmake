# journal_bench: cast latency with synchronous=FULL and verification throughput against bare
# Ed25519 (docs/perf-journal.md).
add_executable(journal_bench ${CMAKE_CURRENT_LIST_DIR}/journal/journal_bench.c
               ${PROJECT_SOURCE_DIR}/tests/unit/fixture.c)
target_include_directories(journal_bench PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit)
target_link_libraries(journal_bench PRIVATE isoloir_core SQLite::SQLite3)
set_target_properties(journal_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bench)
