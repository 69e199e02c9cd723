"""Draws Tavla's app icons (a board of three columns of cards on the brand green) as PNG files,
with nothing but the standard library, so the icons can be made again on any machine:

    python3 frontend/make_icons.py

The maskable icon keeps the drawing inside the middle 80 % (the safe zone Android may crop to).
"""
import os
import struct
import zlib

GREEN = (0x1F, 0x5F, 0x4A)
PAPER = (0xF6, 0xF5, 0xF1)
ACCENT = (0xC2, 0x41, 0x0C)


def png(path, size, pixel):
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            row.extend(pixel(x / size, y / size))
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def board(scale):
    """A pixel function: three columns of cards, drawn within the middle `scale` of the icon."""
    margin = (1 - scale) / 2

    def pixel(u, v):
        x, y = (u - margin) / scale, (v - margin) / scale
        if not (0 <= x < 1 and 0 <= y < 1):
            return GREEN
        # Three columns with gaps; the first card of the middle column is the accent.
        for i, (x0, cards) in enumerate([(0.12, 3), (0.40, 2), (0.68, 1)]):
            if x0 <= x < x0 + 0.22:
                for c in range(cards):
                    y0 = 0.16 + c * 0.24
                    if y0 <= y < y0 + 0.18:
                        return ACCENT if (i, c) == (1, 0) else PAPER
        return GREEN

    return pixel


here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "icons")
png(os.path.join(here, "icon-192.png"), 192, board(1.0))
png(os.path.join(here, "icon-512.png"), 512, board(1.0))
png(os.path.join(here, "icon-maskable-512.png"), 512, board(0.7))
png(os.path.join(here, "apple-touch-icon.png"), 180, board(1.0))
