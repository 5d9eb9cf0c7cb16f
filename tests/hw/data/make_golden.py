#!/usr/bin/env python3
"""Writes manifest-golden.bin and manifest-golden.txt from docs/export.md alone (sections 2
and 3), independently of the C code, for tests/hw/test_bundle.c to compare against.
Fields: election "bxl-2026", package hash 32 x 0x11, kiosk key 32 x 0x22, seq 3, kind
closing, last row 41, head 32 x 0x33, files as listed below with hash 32 x 0x44."""
import hashlib
import struct

B32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def text(s):
    b = s.encode()
    return struct.pack(">I", len(b)) + b


def fpr(key):
    h = hashlib.blake2b(b"isoloir/fingerprint" + key, digest_size=32).digest()[:13]
    bits = int.from_bytes(h, "big")
    total = 13 * 8
    chars = []
    for i in range(20):
        shift = total - 5 * (i + 1)
        chars.append(B32[(bits >> shift) & 31])
    s = "".join(chars)
    return "-".join(s[i:i + 4] for i in range(0, 20, 4))


pkg, kiosk, head, fh = b"\x11" * 32, b"\x22" * 32, b"\x33" * 32, b"\x44" * 32
files = [("journal.sqlite", 123456), ("package-hash.txt", 65), ("report-closing.txt", 812),
         ("report-zero.txt", 640)]
b = text("isoloir/export-manifest") + struct.pack(">H", 1) + text("bxl-2026")
b += pkg + kiosk + struct.pack(">I", 3) + bytes([2]) + struct.pack(">Q", 41) + head
b += struct.pack(">I", len(files))
for name, size in files:
    b += text(name) + struct.pack(">Q", size) + fh
open("manifest-golden.bin", "wb").write(b)

lines = ["isoloir export manifest: see manifest.bin (signed) and docs/export.md",
         "format: 1", "election: bxl-2026",
         "package hash: %s (%s)" % (pkg.hex(), fpr(pkg)),
         "kiosk key: %s (%s)" % (kiosk.hex(), fpr(kiosk)),
         "export: 3 (closing)", "journal last row: 41",
         "journal chain head: %s (%s)" % (head.hex(), fpr(head)),
         "files: %d" % len(files)]
for name, size in files:
    lines.append("  %s %12d %s" % (fh.hex(), size, name))
open("manifest-golden.txt", "w").write("\n".join(lines) + "\n")
