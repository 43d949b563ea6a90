"""A poster per profile for WeChat moments: photo, name, highest honour, unit and the page's QR code.

Drawn at build time with Pillow in a CJK font (fonts-noto-cjk). One poster costs about 15 ms of CPU, so
posters are kept in laomo's cache folder (owner only), named by a digest of everything drawn: a full
build draws only new or changed ones (20,000 profiles from nothing: about five CPU minutes; measured in
the report of the visitors work). Each poster is an output unit of the build (`poster:<id>`), like a
photo, so incremental builds keep or replace it exactly as a full build would.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont, ImageOps

from generator.parallel import map_in_processes
from generator.site.pages import RecordView
from generator.site.photos import PhotoSet

FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/noto-cjk"))
FONT_FILE = "NotoSansCJK-Bold.ttc"
FONT_INDEX = 2  # the .ttc's Simplified Chinese face (Noto Sans CJK SC)
DRAWING = "poster-600x900-v3"  # part of every cache key: change it when the drawing changes
WIDTH, HEIGHT = 600, 900
NAME = "poster.png"
RED, INK, MUTED, PAPER = "#9e1b1b", "#1f1f1f", "#555555", "#fbf7f0"


class PosterError(RuntimeError):
    """A Chinese message: the font is missing."""


@dataclass(frozen=True)
class Poster:
    """What one poster shows; `photo` is the cached JPEG of the record's photo (or None)."""

    url: str  # absolute address, for the QR code
    name: str
    honour: str
    unit: str
    kind: str  # 劳模 | 模范职工之家
    deceased: bool
    photo: Path | None
    photo_digest: str | None

    @property
    def digest(self) -> str:
        text = "\n".join([DRAWING, self.url, self.name, self.honour, self.unit, self.kind, str(self.deceased),
                          self.photo_digest or ""])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def font_path() -> Path:
    for folder in FONT_DIRS:
        if (folder / FONT_FILE).is_file():
            return folder / FONT_FILE
    raise PosterError("缺少中文字体 Noto Sans CJK，无法生成分享海报：请安装 fonts-noto-cjk（apt-get install fonts-noto-cjk）。")


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path()), size, index=FONT_INDEX)


def _lines(draw: ImageDraw.ImageDraw, text: str, size: int, width: int, most: int) -> list[str]:
    """`text` broken into at most `most` lines of `width` px (Chinese breaks anywhere), the last cut with …."""
    font = _font(size)
    lines, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=font) > width:
            lines.append(line)
            line = char
        else:
            line += char
    lines.append(line)
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][:-1] + "…"
    return lines


def _qr(url: str, module: int) -> Image.Image:
    matrix = segno.make_qr(url, error="m", mask=0, boost_error=False).matrix
    size = len(matrix)
    code = Image.frombytes("L", (size, size), bytes(0 if dark else 255 for row in matrix for dark in row))
    return ImageOps.expand(code.resize((size * module, size * module), Image.Resampling.NEAREST), 2 * module, 255)


def draw(poster: Poster) -> bytes:
    """The poster as PNG bytes."""
    accent = MUTED if poster.deceased else RED
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, WIDTH, 88), fill="#4a4a4a" if poster.deceased else RED)
    pen.text((40, 20), "劳模馆", font=_font(34), fill="#ffffff")
    pen.text((WIDTH - 40, 30), poster.kind, font=_font(24), fill="#ffffff", anchor="ra")
    top = 120
    if poster.photo is not None:
        with Image.open(poster.photo) as source:
            picture = ImageOps.contain(source.convert("RGB"), (320, 320))
        if poster.deceased:
            picture = ImageOps.grayscale(picture).convert("RGB")
        image.paste(picture, ((WIDTH - picture.width) // 2, top))
        top += picture.height + 24
    else:
        pen.ellipse((WIDTH // 2 - 90, top, WIDTH // 2 + 90, top + 180), fill="#f3ede4")
        mark = poster.name[:1] if poster.kind == "劳模" else "家"  # as on the cards of the lists
        pen.text((WIDTH // 2, top + 90), mark, font=_font(96), fill=accent, anchor="mm")
        top += 210
    size = 60 if len(poster.name) <= 6 else 40  # a home's long name takes two lines of a smaller size
    for line in _lines(pen, poster.name, size, WIDTH - 80, 2):
        pen.text((WIDTH // 2, top), line, font=_font(size), fill=INK, anchor="ma")
        top += size + 18
    for line in _lines(pen, poster.honour, 32, WIDTH - 80, 2):
        pen.text((WIDTH // 2, top), line, font=_font(32), fill=accent, anchor="ma")
        top += 44
    for line in _lines(pen, poster.unit, 26, WIDTH - 80, 1):
        pen.text((WIDTH // 2, top + 6), line, font=_font(26), fill=MUTED, anchor="ma")
        top += 36
    code = _qr(poster.url, 4)
    image.paste(code.convert("RGB"), (WIDTH - 40 - code.width, HEIGHT - 30 - code.height))
    pen.text((40, HEIGHT - 30 - code.height // 2 - 20), "扫码阅读", font=_font(28), fill=INK)
    pen.text((40, HEIGHT - 30 - code.height // 2 + 20), "先进事迹", font=_font(28), fill=INK)
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=6)
    return out.getvalue()


def posters_of(records: dict[str, RecordView], photos: dict[str, PhotoSet], photo_cache: Path,
               site_url: str) -> dict[str, Poster]:
    """The poster of every shown worker and home, by record id."""
    by_jpeg = {f"photos/{v.jpeg}": (photo, v) for photo in photos.values() for v in photo.variants}
    result = {}
    for record_id, r in records.items():
        photo_file, photo_digest = None, None
        if r.photo is not None:
            found = by_jpeg.get(r.photo.pick(320)[3])
            if found is not None:
                photo_file, photo_digest = photo_cache / found[0].digest / found[1].jpeg, found[0].digest
        honour = f"{r.top_honour.year}年 {r.top_honour.title}"
        kind = "劳模" if r.kind == "worker" else "模范职工之家"
        result[record_id] = Poster(site_url + r.url, r.name, honour, r.unit, kind, r.deceased, photo_file,
                                   photo_digest)
    return result


def _make(_context: None, job: tuple[Poster, Path]) -> None:
    poster, path = job
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(draw(poster))
    os.chmod(partial, 0o600)  # laomo's cache folder is owner only, file by file
    os.replace(partial, path)


def make_posters(posters: list[Poster], folder: Path, jobs: int) -> dict[str, Path]:
    """Draw the posters not yet in `folder` (in `jobs` processes); return each poster's cached file by digest."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {p.digest: folder / f"{p.digest}.png" for p in posters}
    missing = list({p.digest: (p, files[p.digest]) for p in posters if not files[p.digest].is_file()}.values())
    if missing:
        font_path()  # a clear message before any process starts
        for _ in map_in_processes(_make, missing, None, jobs, parallel_from=20, chunksize=16):
            pass
    return files


def place_posters(model, photos: dict[str, PhotoSet], photo_cache: Path, site_url: str, tmp: Path, jobs: int,
                  new, unchanged) -> None:
    """The build's step for posters: every poster is the unit `poster:<id>` keyed by its digest; those whose
    key changed are drawn (or taken from the cache) and placed into the staging folder `tmp`."""
    from generator.load.cache import private_folder
    from generator.site.state import Unit, UnitKind

    posters = posters_of(model.records, photos, photo_cache, site_url)
    files = make_posters(list(posters.values()), private_folder(photo_cache.parent / "posters"), jobs)
    for record_id, poster in posters.items():
        name = f"{model.records[record_id].url}{NAME}"
        unit, key = Unit(UnitKind.POSTER, record_id), poster.digest.encode()
        new.units[unit] = (key, (name,))
        if not unchanged(unit, key):
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_bytes(_verified(poster, files[poster.digest]))


def _verified(poster: Poster, path: Path) -> bytes:
    """The cached poster's bytes when they are a plain PNG of the poster's size, else a new drawing (also
    cached). Copied, never linked: the site holds no file of the cache's."""
    try:
        data = path.read_bytes()
        # header only (Image.text would decode the whole image: 2.4 of 2.8 CPU minutes at 20,000 profiles);
        # any text or EXIF chunk, even a false match inside compressed data, only costs a redraw
        with Image.open(io.BytesIO(data)) as image:
            if image.format == "PNG" and image.size == (WIDTH, HEIGHT) \
                    and not any(kind in data for kind in (b"tEXt", b"iTXt", b"zTXt", b"eXIf")):
                return data
    except (OSError, ValueError, Image.DecompressionBombError):
        pass
    _make(None, (poster, path))
    return path.read_bytes()
