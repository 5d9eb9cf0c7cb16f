# fuzz_image: image_decode (PNG and JPEG, through libpng and libjpeg) on arbitrary bytes; seeds
# are the small fixtures.
isoloir_fuzz(fuzz_image SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_image.c
             LIBS isoloir_author ZLIB::ZLIB CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/fuzz_image)
