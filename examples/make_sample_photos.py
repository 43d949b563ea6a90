"""Draw the sample photos in records/photos/ (abstract pictures, no real person).

Run: .venv/bin/python examples/make_sample_photos.py [--out records/photos]

The output is deterministic. One JPEG (zhang-jianguo.jpg) is stored sideways with
EXIF orientation 6, GPS coordinates, an XMP packet and a JPEG comment, so that the
site build can prove it applies the orientation and strips all metadata.
"""

from __future__ import annotations

import argparse
import io
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
MAX_BYTES = 150 * 1024

# The fake location written into the EXIF GPS block: it must never reach the site.
GPS_LAT = (34.0, 15.0, 30.12)
GPS_LON = (108.0, 56.0, 10.45)
COMMENT = "样例照片：拍摄地点 西安市某厂区 — 此注释必须在网站中被去除".encode()
XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
    b"<dc:creator>sample-photographer-private</dc:creator></rdf:Description>"
    b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def lerp(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))  # type: ignore[return-value]


def gradient(size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    width, height = size
    column = Image.new("RGB", (1, height))
    for y in range(height):
        column.putpixel((0, y), lerp(top, bottom, y / max(1, height - 1)))
    return column.resize(size)


def portrait(seed: int, top, bottom, figure, accent, size=(800, 1000)) -> Image.Image:
    """A gradient backdrop, soft shapes and an anonymous head-and-shoulders silhouette."""
    rng = random.Random(seed)
    width, height = size
    image = gradient(size, top, bottom)
    shapes = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(shapes)
    for _ in range(7):
        r = rng.randint(60, 220)
        x, y = rng.randint(-50, width), rng.randint(-50, height // 2)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*accent, rng.randint(30, 70)))
    for _ in range(4):
        x = rng.randint(0, width)
        draw.rectangle((x, height * 0.55, x + rng.randint(40, 120), height), fill=(*lerp(accent, bottom, 0.5), 60))
    shapes = shapes.filter(ImageFilter.GaussianBlur(12))
    image.paste(shapes, (0, 0), shapes)

    person = ImageDraw.Draw(image)
    cx = width // 2
    head_r = width // 8
    head_y = int(height * 0.42)
    # shoulders: a rounded block rising from the bottom edge
    person.rounded_rectangle(
        (cx - width * 0.36, head_y + head_r * 1.25, cx + width * 0.36, height + 80),
        radius=int(width * 0.18), fill=figure,
    )
    person.rectangle((cx - head_r * 0.45, head_y + head_r * 0.6, cx + head_r * 0.45, head_y + head_r * 1.6), fill=figure)
    person.ellipse((cx - head_r, head_y - head_r * 1.15, cx + head_r, head_y + head_r * 1.15), fill=figure)
    # a safety helmet or cap brim in the accent colour, so the pictures differ
    if seed % 2:
        person.chord((cx - head_r * 1.1, head_y - head_r * 1.35, cx + head_r * 1.1, head_y + head_r * 0.2),
                     180, 360, fill=accent)
        person.rectangle((cx - head_r * 1.3, head_y - head_r * 0.6, cx + head_r * 1.3, head_y - head_r * 0.48), fill=accent)
    return image


def workplace(seed: int, top, bottom, accent, size=(1000, 750)) -> Image.Image:
    """A stylised factory or office building for a union home."""
    rng = random.Random(seed)
    width, height = size
    image = gradient(size, top, bottom)
    draw = ImageDraw.Draw(image)
    ground = int(height * 0.78)
    draw.rectangle((0, ground, width, height), fill=lerp(bottom, (60, 60, 60), 0.5))
    x = 40
    while x < width - 60:
        w = rng.randint(120, 220)
        h = rng.randint(180, 420)
        body = lerp(accent, (235, 235, 235), rng.random() * 0.6)
        draw.rectangle((x, ground - h, x + w, ground), fill=body)
        for wy in range(ground - h + 24, ground - 30, 44):
            for wx in range(x + 16, x + w - 30, 38):
                draw.rectangle((wx, wy, wx + 20, wy + 24), fill=lerp(top, (255, 244, 200), 0.7))
        if rng.random() < 0.5:
            draw.rectangle((x + w - 40, ground - h - 120, x + w - 20, ground - h), fill=body)
        x += w + rng.randint(10, 40)
    draw.ellipse((width - 190, 50, width - 90, 150), fill=(250, 220, 140))
    return image


def save_jpeg(image: Image.Image, path: Path, **extra) -> None:
    for quality in (85, 78, 70, 60):
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality, optimize=True, **extra)
        if buffer.tell() < MAX_BYTES:
            path.write_bytes(buffer.getvalue())
            return
    raise SystemExit(f"{path.name}: cannot get under {MAX_BYTES} bytes")


def save_png(image: Image.Image, path: Path) -> None:
    # A 256-colour palette keeps the PNG under the size limit.
    mode = image.mode
    if mode == "RGBA":
        small = image.quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    else:
        small = image.quantize(colors=256)
    buffer = io.BytesIO()
    small.save(buffer, "PNG", optimize=True)
    if buffer.tell() >= MAX_BYTES:
        raise SystemExit(f"{path.name}: {buffer.tell()} bytes, over the limit")
    path.write_bytes(buffer.getvalue())


def exif_sideways() -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x010F] = "SampleCam"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x0131] = "sample-editor 1.0"  # Software
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"  # GPSLatitudeRef
    gps[2] = GPS_LAT
    gps[3] = "E"  # GPSLongitudeRef
    gps[4] = GPS_LON
    return exif


def make(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    # 1. Sideways JPEG with EXIF orientation 6, GPS, XMP and a comment.
    upright = portrait(1, (34, 74, 140), (196, 214, 235), (38, 44, 58), (230, 140, 40))
    stored = upright.rotate(90, expand=True)  # 1000×800; orientation 6 turns it back upright
    path = out / "zhang-jianguo.jpg"
    save_jpeg(stored, path, exif=exif_sideways().tobytes(), comment=COMMENT, xmp=XMP)
    written.append(path)

    # 2. Plain portrait JPEGs.
    plain = [
        ("li-xiuying.jpg", 2, (120, 30, 40), (245, 220, 210), (52, 40, 44), (250, 200, 120)),
        ("luo-xiaomei.jpg", 4, (20, 110, 110), (220, 240, 236), (30, 52, 58), (255, 255, 255)),
        ("ma-lijuan.jpg", 6, (90, 60, 130), (236, 228, 245), (44, 36, 60), (240, 180, 200)),
        ("chen-xiuying.jpg", 8, (90, 90, 90), (225, 225, 225), (40, 40, 40), (180, 180, 180)),
    ]
    for name, seed, top, bottom, figure, accent in plain:
        path = out / name
        save_jpeg(portrait(seed, top, bottom, figure, accent), path)
        written.append(path)

    # 3. PNGs: one RGB, one with an alpha channel.
    path = out / "cao-yongsheng.png"
    save_png(portrait(3, (60, 130, 60), (230, 240, 200), (40, 56, 36), (240, 210, 60)), path)
    written.append(path)
    rgba = portrait(5, (200, 90, 30), (250, 230, 200), (60, 40, 30), (255, 120, 60)).convert("RGBA")
    mask = Image.new("L", rgba.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, *rgba.size), radius=120, fill=255)
    rgba.putalpha(mask)
    path = out / "yuan-fang.png"
    save_png(rgba, path)
    written.append(path)

    # 4. Union homes.
    for name, seed, top, bottom, accent in [
        ("home-bj-xirun-elec.jpg", 11, (90, 150, 210), (230, 238, 245), (70, 100, 150)),
        ("home-xa-huayue-heavy.jpg", 12, (230, 150, 90), (250, 230, 210), (120, 90, 80)),
    ]:
        path = out / name
        save_jpeg(workplace(seed, top, bottom, accent), path)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成 records/photos/ 中的示例照片（抽象图形，非真人）")
    parser.add_argument("--out", type=Path, default=ROOT / "records" / "photos")
    args = parser.parse_args(argv)
    for path in make(args.out):
        with Image.open(path) as image:
            print(f"{path}  {image.format} {image.size[0]}×{image.size[1]}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
