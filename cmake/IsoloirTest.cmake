# isoloir_test(NAME SOURCES src... LIBS lib... [ARGS arg...] [LABELS l...] [TIMEOUT s])
# Builds a test program from tests/ and registers it with CTest. Exit code 77 means "skipped"
# (the test prints why). Tests run from their build directory; ISOLOIR_SOURCE_DIR and
# ISOLOIR_SHARED_DIR (../shared, with the pabulib files) are in their environment.
function(isoloir_test name)
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LIBS;ARGS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${name} PRIVATE ${T_LIBS})
  add_test(NAME ${name} COMMAND ${name} ${T_ARGS})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES
    SKIP_RETURN_CODE 77
    TIMEOUT ${T_TIMEOUT}
    LABELS "${T_LABELS}"
    ENVIRONMENT "ISOLOIR_SOURCE_DIR=${PROJECT_SOURCE_DIR};ISOLOIR_SHARED_DIR=${PROJECT_SOURCE_DIR}/../shared;ISOLOIR_BUILD_DIR=${PROJECT_BINARY_DIR}")
endfunction()

# isoloir_fuzz(NAME SOURCES src... LIBS lib... CORPUS dir)
# A fuzz target is a file defining LLVMFuzzerTestOneInput. With ISOLOIR_FUZZ it is linked
# with libFuzzer and a CTest test runs it for ISOLOIR_FUZZ_SECONDS on its seed corpus (label
# "fuzz"). Without it, the same target is linked with replay_main.c and a test replays the
# seed corpus, so every corpus file is exercised under the sanitizers in every build.
set(ISOLOIR_FUZZ_SECONDS 30 CACHE STRING "Seconds each fuzz target runs in the fuzz tests")
function(isoloir_fuzz name)
  cmake_parse_arguments(F "" "CORPUS" "SOURCES;LIBS" ${ARGN})
  if(ISOLOIR_FUZZ)
    add_executable(${name} ${F_SOURCES})
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_libraries(${name} PRIVATE ${F_LIBS})
    set(work ${CMAKE_CURRENT_BINARY_DIR}/${name}-corpus)
    add_test(NAME ${name}
             COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=1
                     ${PROJECT_SOURCE_DIR}/tests/fuzz/run-fuzzer.sh $<TARGET_FILE:${name}>
                     ${F_CORPUS} ${work} ${ISOLOIR_FUZZ_SECONDS})
    set_tests_properties(${name} PROPERTIES LABELS fuzz TIMEOUT 600)
  else()
    add_executable(${name} ${F_SOURCES} ${PROJECT_SOURCE_DIR}/tests/fuzz/replay_main.c)
    target_link_libraries(${name} PRIVATE ${F_LIBS})
    add_test(NAME ${name}-replay COMMAND ${name} ${F_CORPUS})
    set_tests_properties(${name}-replay PROPERTIES LABELS replay TIMEOUT 300)
  endif()
endfunction()
