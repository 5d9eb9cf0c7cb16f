add_executable(isoloir-package ${CMAKE_CURRENT_SOURCE_DIR}/package_main.c)
target_link_libraries(isoloir-package PRIVATE isoloir_cli isoloir_author)
set_target_properties(isoloir-package PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bin)
