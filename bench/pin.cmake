# pin_bench: the cost of one officials' PIN check (Argon2id at the package builder's cost) and
# of opening a kiosk's sealed list; the offline guessing costs in docs/threat-model.md.
add_executable(pin_bench ${CMAKE_CURRENT_LIST_DIR}/pin/pin_bench.c)
target_link_libraries(pin_bench PRIVATE isoloir_core)
set_target_properties(pin_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bench)
