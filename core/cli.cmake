# cli — what every program's main shares (passphrase input, error printing): the tools, the
# kiosk and the tally. Programs link it and get the rest of core with it.
add_library(isoloir_cli STATIC cli.c)
target_link_libraries(isoloir_cli PUBLIC isoloir_core)
