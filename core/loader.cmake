add_library(isoloir_loader STATIC csv.c conf.c loader.c)
target_link_libraries(isoloir_loader PUBLIC isoloir_base isoloir_keys isoloir_image)
target_link_libraries(isoloir_core INTERFACE isoloir_loader)
