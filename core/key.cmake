add_library(isoloir_keys STATIC key.c)
target_link_libraries(isoloir_keys PUBLIC isoloir_base)
target_link_libraries(isoloir_core INTERFACE isoloir_keys)
