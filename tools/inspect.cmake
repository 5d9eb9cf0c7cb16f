add_executable(isoloir-inspect ${CMAKE_CURRENT_SOURCE_DIR}/inspect.c)
target_link_libraries(isoloir-inspect PRIVATE isoloir_cli SQLite::SQLite3)
set_target_properties(isoloir-inspect PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bin)
