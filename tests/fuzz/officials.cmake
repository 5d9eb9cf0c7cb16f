isoloir_fuzz(fuzz_officials SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_officials.c
             LIBS isoloir_core CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/fuzz_officials)
