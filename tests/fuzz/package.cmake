isoloir_fuzz(fuzz_package SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_package.c
             LIBS isoloir_core CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/fuzz_package)
