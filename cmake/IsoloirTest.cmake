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
