"""Draws the app icons (public/icons/icon-*.png) without any image library: a red rounded square
with a white house and door, the same design as public/icons/icon.svg. Run once when the design changes."""
import struct
import sys
import zlib
from pathlib import Path

RED = (183, 28, 28, 255)
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)


def inside_rounded_square(x, y, size, radius):
    cx = min(max(x, radius), size - radius)
    cy = min(max(y, radius), size - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2


def inside_house(u, v):
    """u, v in 0..1 over the icon; the house sits in the middle 60%."""
    roof = 0.22 <= v <= 0.48 and abs(u - 0.5) <= (v - 0.22) * (0.32 / 0.26)
    body = 0.46 <= v <= 0.78 and 0.27 <= u <= 0.73
    door = 0.58 <= v <= 0.78 and 0.44 <= u <= 0.56
    return (roof or body) and not door


def pixel(x, y, size, maskable):
    u, v = (x + 0.5) / size, (y + 0.5) / size
    if maskable:
        # Maskable icons keep their drawing inside the central 80% safe zone on a full-bleed background.
        u, v = 0.5 + (u - 0.5) / 0.8, 0.5 + (v - 0.5) / 0.8
        return WHITE if inside_house(u, v) else RED
    if not inside_rounded_square(x + 0.5, y + 0.5, size, size * 0.18):
        return CLEAR
    return WHITE if inside_house(u, v) else RED


def png(size, maskable):
    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel(x, y, size, maskable)) for x in range(size)) for y in range(size)
    )

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "public/icons")
    for size in (192, 512):
        (out / f"icon-{size}.png").write_bytes(png(size, maskable=False))
    (out / "icon-maskable-512.png").write_bytes(png(512, maskable=True))
    (out / "apple-touch-icon.png").write_bytes(png(180, maskable=True))
