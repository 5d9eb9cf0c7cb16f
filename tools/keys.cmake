add_executable(isoloir-keys ${CMAKE_CURRENT_SOURCE_DIR}/keys_main.c)
target_link_libraries(isoloir-keys PRIVATE isoloir_cli)
set_target_properties(isoloir-keys PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bin)
