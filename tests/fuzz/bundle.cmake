isoloir_fuzz(fuzz_bundle SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_bundle.c
             LIBS isoloir_hw CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/fuzz_bundle)
