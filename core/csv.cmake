# csv — the spreadsheet reader, shared by the package builder (projects.csv) and the tally
# (pabulib .pb files).
add_library(isoloir_csv STATIC csv.c)
target_link_libraries(isoloir_csv PUBLIC isoloir_base)
target_link_libraries(isoloir_core INTERFACE isoloir_csv)
