# image — PNG/JPEG decoding, downscaling and PNG writing, for the package builder and the
# screenshot tools (the kiosk itself never decodes an image).
add_library(isoloir_image STATIC image.c image_inflate.c image_deflate.c image_png.c
                                 image_jpeg.c)
target_link_libraries(isoloir_image PUBLIC isoloir_base PRIVATE m)
target_link_libraries(isoloir_core INTERFACE isoloir_image)
