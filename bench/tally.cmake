if(TARGET isoloir_count)
  add_executable(mes_bench ${CMAKE_CURRENT_LIST_DIR}/tally/mes_bench.c)
  target_link_libraries(mes_bench PRIVATE isoloir_count)
  set_target_properties(mes_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bench)
endif()

# tally_bench: generator of kiosk exports at scale and the timed tally pipeline
# (docs/perf-tally.md). The tally tests use its generator too.
if(TARGET isoloir_tallydb AND TARGET isoloir_hw)
  add_executable(tally_bench ${CMAKE_CURRENT_LIST_DIR}/tally/tally_bench.c
                 ${PROJECT_SOURCE_DIR}/tests/unit/fixture.c)
  target_include_directories(tally_bench PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit)
  target_link_libraries(tally_bench PRIVATE isoloir_hw isoloir_core SQLite::SQLite3)
  set_target_properties(tally_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bench)
endif()
