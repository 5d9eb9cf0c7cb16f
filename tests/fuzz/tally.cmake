isoloir_fuzz(fuzz_pabulib SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_pabulib.c
             LIBS isoloir_count CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/fuzz_pabulib)
