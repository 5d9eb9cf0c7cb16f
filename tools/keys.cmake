add_library(isoloir_cli STATIC ${CMAKE_CURRENT_SOURCE_DIR}/cli.c)
target_include_directories(isoloir_cli PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(isoloir_cli PUBLIC isoloir_core)

add_executable(isoloir-keys ${CMAKE_CURRENT_SOURCE_DIR}/keys_main.c)
target_link_libraries(isoloir-keys PRIVATE isoloir_cli)
set_target_properties(isoloir-keys PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bin)
