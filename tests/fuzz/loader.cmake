isoloir_fuzz(fuzz_csv SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_csv.c
             LIBS isoloir_core CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/fuzz_csv)
isoloir_fuzz(fuzz_conf SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_conf.c
             LIBS isoloir_author CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/fuzz_conf)
