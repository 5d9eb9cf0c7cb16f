isoloir_fuzz(fuzz_share SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_share.c
             LIBS isoloir_core CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/fuzz_share)
