# fuzz_escpos: ESC/POS streams read back, report texts laid out for paper, receipt fields
# (hw/escpos); seeds are a report text, a receipt's fields and the golden streams' heads.
if(TARGET isoloir_printer)
  isoloir_fuzz(fuzz_escpos SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_escpos.c
               LIBS isoloir_printer CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/fuzz_escpos)
endif()
