add_executable(isoloir-tokens ${CMAKE_CURRENT_SOURCE_DIR}/tokens_main.c)
target_link_libraries(isoloir-tokens PRIVATE isoloir_cli)
set_target_properties(isoloir-tokens PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bin)
