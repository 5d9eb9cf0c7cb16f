isoloir_fuzz(fuzz_token SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_token.c
             LIBS isoloir_token CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/fuzz_token)
