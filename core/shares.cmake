# shares — the tally key split among trustees (k of n) with libgfshare (Shamir over GF(2^8)).
# 2.0.0 or newer: its gfshare_ctx_free overwrites the library's copies of the secret before
# freeing them (older versions only freed them).
pkg_check_modules(GFSHARE REQUIRED IMPORTED_TARGET libgfshare>=2.0.0)
add_library(isoloir_shares STATIC shares.c)
target_link_libraries(isoloir_shares PUBLIC isoloir_base isoloir_keys PRIVATE PkgConfig::GFSHARE)
target_link_libraries(isoloir_core INTERFACE isoloir_shares)
