# escpos-render: draws an ESC/POS stream (hw/escpos) as a PNG of the paper, for the pictures in
# docs/paper/ and for looking at the golden streams. Needs SDL2_ttf (the kiosk's), libpng and
# DejaVu Sans Mono (fonts-dejavu-core); skipped when one is missing.
find_path(ISOLOIR_MONO_FONT_DIR DejaVuSansMono.ttf
          PATHS /usr/share/fonts/truetype/dejavu /usr/share/fonts/dejavu NO_DEFAULT_PATH)
pkg_check_modules(LIBPNG QUIET IMPORTED_TARGET libpng)
if(TARGET SDL2_ttf::SDL2_ttf AND TARGET isoloir_printer AND LIBPNG_FOUND AND ISOLOIR_MONO_FONT_DIR)
  add_executable(escpos-render ${CMAKE_CURRENT_SOURCE_DIR}/escpos_render.c)
  target_link_libraries(escpos-render PRIVATE isoloir_printer SDL2::SDL2 SDL2_ttf::SDL2_ttf
                                              PkgConfig::LIBPNG)
  target_compile_definitions(escpos-render PRIVATE
                             ISOLOIR_MONO_FONT_DIR="${ISOLOIR_MONO_FONT_DIR}")
  set_target_properties(escpos-render PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bin)
endif()
