# fuzz_image: image_decode (PNG and JPEG) on arbitrary bytes; seeds are the small fixtures.
isoloir_fuzz(fuzz_image SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_image.c
             LIBS isoloir_author ZLIB::ZLIB CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/fuzz_image)
# tests/CMakeLists.txt does not list the image area (yet): add it from here, once.
if(NOT TARGET test_image AND EXISTS ${PROJECT_SOURCE_DIR}/tests/image/CMakeLists.txt)
  add_subdirectory(${PROJECT_SOURCE_DIR}/tests/image ${PROJECT_BINARY_DIR}/tests/image)
endif()
