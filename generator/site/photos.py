"""Photos for the public site: re-encoded pixels only, in a few widths, cached by content.

For each original in `records/photos/` the site gets WebP and JPEG copies at
160, 320 and 640 px wide (never wider than the original). The EXIF orientation
is applied, colours are converted to sRGB, and a brand-new image is built from
the pixels alone, so no EXIF, GPS, XMP, ICC profile, comment or PNG text chunk
can survive. The original file is never copied.

Derivatives are cached in laomo's cache folder (`photos/<sha256 of the original>/`,
owner only, never in a tree), with a `manifest.json` naming each file, its size and
its SHA-256. A cached folder is used only when its manifest is for this recipe and
this original (the digest, and widths and heights that follow from the original's
own dimensions); each file is then read, checked against the manifest (SHA-256, a
JPEG or WebP whose header gives the expected size and holds no metadata) and its
checked bytes written into the site — never linked, so nothing but what was just
checked gets there. A folder that fails is dropped with one line and the photo
encoded again. The digest of an original is remembered by its inode,
size, modification and change times, so unchanged originals are not read again
(a file changed within two seconds of being digested is always read again).
Decompression bombs and broken files raise `PhotoError` with a message in
Chinese instead of crashing the build.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import struct
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from generator.load.cache import RACY_NS, discard, private_folder, read_json, stamp_of, write_json
from generator.parallel import map_in_processes

WIDTHS = (160, 320, 640)
MANIFEST = "manifest.json"
_DIGEST = re.compile(r"[0-9a-f]{64}")
MAX_PIXELS = 100_000_000  # = validate.photos.MAX_PHOTO_PIXELS: JPEG is decoded with draft, so memory stays small
RECIPE = "v2:160,320,640:webp80m2:jpeg82:srgb:cascade"  # change to invalidate every cached derivative
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class PhotoError(Exception):
    """A photo that cannot be used; the message is Chinese and names the problem."""


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    webp: str  # file name inside the site's photos/ folder
    jpeg: str
    webp_sha256: str = ""  # of the files, as the manifest in the cache says
    jpeg_sha256: str = ""


@dataclass(frozen=True)
class PhotoSet:
    """The derivatives of one original, smallest first."""

    digest: str
    variants: tuple[Variant, ...]

    @property
    def largest(self) -> Variant:
        return self.variants[-1]

    def files(self) -> list[str]:
        return [name for v in self.variants for name in (v.webp, v.jpeg)]


def _digest_entry_ok(entry: Any) -> bool:
    return (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], list) and len(entry[0]) == 4
            and all(type(n) is int for n in entry[0]) and type(entry[1]) is int and isinstance(entry[2], str)
            and _DIGEST.fullmatch(entry[2]) is not None)


class DigestCache:
    """Digest of an original by (inode, size, mtime, ctime): a photo not touched since is not read again."""

    def __init__(self, cache: Path):
        self.path = cache / "digests.json"
        self.entries: dict[str, tuple[tuple[int, ...], int, str]] = {}
        self.changed = False
        self.used: set[str] = set()
        loaded = read_json(self.path, lambda data: isinstance(data, dict)
                           and all(_digest_entry_ok(entry) for entry in data.values()))
        if loaded is not None:
            self.entries = {key: (tuple(stamp), taken, value) for key, (stamp, taken, value) in loaded.items()}

    def digest(self, path: Path) -> str:
        stamp = stamp_of(os.stat(path))
        key = str(path)
        self.used.add(key)
        entry = self.entries.get(key)
        if entry is not None and entry[0] == stamp and stamp[3] < entry[1] - RACY_NS:
            return entry[2]
        now = time.time_ns()
        value = digest_of(path)
        self.entries[key] = (stamp, now, value)
        self.changed = True
        return value

    def save(self) -> None:
        """Entries of photos that no longer exist are dropped: trees come and go (every checkout of a pull
        request is another), and a cache that only grows is read more slowly on every build."""
        gone = [key for key in self.entries if key not in self.used and not os.path.exists(key)]
        for key in gone:
            del self.entries[key]
        if self.changed or gone:
            write_json(self.path, {key: [list(stamp), taken, value] for key, (stamp, taken, value)
                                   in self.entries.items()})


def digest_of(path: Path) -> str:
    h = hashlib.sha256(RECIPE.encode())
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def target_widths(width: int) -> list[int]:
    return sorted({w for w in WIDTHS if w < width} | {min(width, WIDTHS[-1])})


def _open_pixels(path: Path) -> Image.Image:
    """The decoded, upright, sRGB, RGB pixels of `path`, with no metadata attached."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.format not in {"JPEG", "PNG", "WEBP"}:
                    raise PhotoError(f"照片格式为 {image.format}，只接受 JPEG、PNG 或 WebP。")
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise PhotoError(f"照片尺寸过大（{width}×{height} 像素），可能是“解压炸弹”，已拒绝。")
                if image.format == "JPEG":
                    image.draft("RGB", (WIDTHS[-1] * 2, WIDTHS[-1] * 2))
                image.load()
                icc = image.info.get("icc_profile")
                upright = ImageOps.exif_transpose(image)
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError("照片尺寸过大，可能是“解压炸弹”，已拒绝。请换一张正常尺寸的照片。") from None
    except UnidentifiedImageError:
        raise PhotoError("照片文件无法识别，可能已损坏或不是图片。") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise PhotoError(f"照片文件已损坏（{exc}）。") from None
    if upright.mode in {"RGBA", "LA", "PA"} or (upright.mode == "P" and "transparency" in upright.info):
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        upright = flat
    if icc and upright.mode in {"RGB", "CMYK"}:
        try:
            source_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(upright, source_profile, ImageCms.createProfile("sRGB"),
                                                  outputMode="RGB")
            if converted is not None:  # None only when converting in place
                upright = converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unusable profile: fall back to a plain conversion
    if upright.mode != "RGB":
        upright = upright.convert("RGB")
    # a fresh image from the pixels alone: nothing of the original's metadata comes along
    return Image.frombytes("RGB", upright.size, upright.tobytes())


def upright_size(path: Path) -> tuple[int, int]:
    """The size of an original as it is shown (EXIF orientation applied), from its header alone."""
    with Image.open(path) as image:
        width, height = image.size
        orientation = image.getexif().get(0x0112)
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def _encode(path: Path, digest: str, cache: Path) -> list[Variant]:
    pixels = _open_pixels(path)  # first: it refuses a bad original with the right message
    original = upright_size(path)
    width, height = pixels.size
    folder = cache / digest
    tmp = cache / f".{digest}.{os.getpid()}.tmp"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True, mode=0o700)
    variants = []
    short = digest[:16]
    source = pixels
    for w in sorted(target_widths(width), reverse=True):  # each width from the next larger one: faster
        h = max(1, round(height * w / width))
        resized = source if w == source.width else source.resize((w, h), Image.Resampling.LANCZOS,
                                                                 reducing_gap=3.0)
        sums = []
        for name, fmt, options in ((f"{short}-{w}.webp", "WEBP", {"quality": 80, "method": 2}),
                                   (f"{short}-{w}.jpg", "JPEG", {"quality": 82, "optimize": True,
                                                                "progressive": True})):
            buffer = io.BytesIO()
            resized.save(buffer, fmt, **options)
            data = buffer.getvalue()
            fd = os.open(tmp / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            sums.append(hashlib.sha256(data).hexdigest())
        variants.append(Variant(w, h, f"{short}-{w}.webp", f"{short}-{w}.jpg", *sums))
        source = resized
    variants.reverse()
    manifest = {"recipe": RECIPE, "digest": digest, "original": list(original), "source": [width, height],
                "variants": [v.__dict__ for v in variants]}
    fd = os.open(tmp / MANIFEST, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle)
    shutil.rmtree(folder, ignore_errors=True)  # a damaged folder of the same digest
    try:
        tmp.rename(folder)
    except OSError:  # another process finished first
        shutil.rmtree(tmp, ignore_errors=True)
    return variants


def _expected_variants(digest: str, source: tuple[int, int]) -> list[tuple[int, int, str, str]]:
    width, height = source
    short = digest[:16]
    return [(w, max(1, round(height * w / width)), f"{short}-{w}.webp", f"{short}-{w}.jpg")
            for w in target_widths(width)]


def _manifest_ok(manifest: Any, digest: str, original: tuple[int, int]) -> bool:
    """A manifest written by `_encode` for this recipe and this original: its widths, heights and names are
    those the original's size gives (JPEG originals are decoded at 1/1, 1/2, 1/4 or 1/8 of their size)."""
    if not isinstance(manifest, dict) or manifest.get("recipe") != RECIPE or manifest.get("digest") != digest:
        return False
    if manifest.get("original") != list(original):
        return False
    source = manifest.get("source")
    if not (isinstance(source, list) and len(source) == 2 and all(type(n) is int and n > 0 for n in source)):
        return False
    if not any(source == [-(-original[0] // scale), -(-original[1] // scale)] for scale in (1, 2, 4, 8)):
        return False
    variants = manifest.get("variants")
    expected = _expected_variants(digest, (source[0], source[1]))
    if not isinstance(variants, list) or len(variants) != len(expected):
        return False
    for variant, (w, h, webp, jpeg) in zip(variants, expected):
        if not (isinstance(variant, dict) and variant.get("width") == w and variant.get("height") == h
                and variant.get("webp") == webp and variant.get("jpeg") == jpeg
                and all(isinstance(variant.get(k), str) and _DIGEST.fullmatch(variant[k])
                        for k in ("webp_sha256", "jpeg_sha256"))):
            return False
    return True


def _cached(digest: str, cache: Path, original: tuple[int, int]) -> list[Variant] | None:
    """The variants of a cached folder whose manifest fits the original; None (with one line when the folder
    is there but wrong) otherwise."""
    path = cache / digest / MANIFEST
    if not path.exists():
        if (cache / digest).exists():
            discard(cache / digest, "缺少清单文件")
        return None
    manifest = read_json(path, lambda value: _manifest_ok(value, digest, original))
    if manifest is None:
        return None
    return [Variant(**v) for v in manifest["variants"]]


_JPEG_METADATA = re.compile(rb"\xff[\xe1-\xef\xfe]")  # APP1-APP15 (EXIF, XMP, ICC, …) and comments


def _jpeg_size_clean(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a baseline or progressive JPEG with no metadata segment; None otherwise."""
    if data[:2] != b"\xff\xd8" or data[-2:] != b"\xff\xd9" or _JPEG_METADATA.search(data):
        return None
    i, size = 2, None
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker == 0xE0 and data[i + 4:i + 9] != b"JFIF\x00":
            return None
        if marker in (0xC0, 0xC1, 0xC2) and i + 9 <= len(data):
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            size = (width, height)
        if marker == 0xDA:  # start of scan: the header is done
            return size
        i += 2 + length
    return None


def _webp_size_clean(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a simple lossy WebP (one VP8 chunk: no metadata can be attached); None otherwise."""
    if len(data) < 30 or data[:4] != b"RIFF" or data[8:16] != b"WEBPVP8 ":
        return None
    riff, chunk = struct.unpack("<I", data[4:8])[0], struct.unpack("<I", data[16:20])[0]
    if riff + 8 != len(data) or 20 + chunk + (chunk & 1) != len(data) or data[23:26] != b"\x9d\x01\x2a":
        return None
    width, height = struct.unpack("<HH", data[26:30])
    return width & 0x3FFF, height & 0x3FFF


class DerivativeDamaged(Exception):
    """A cached derivative is not what its manifest says."""


def checked_bytes(path: Path, width: int, height: int, sha256: str) -> bytes:
    """The bytes of a cached derivative when they are the image its manifest describes; raises
    DerivativeDamaged otherwise."""
    try:
        if os.path.islink(path):
            raise DerivativeDamaged("是符号链接")
        with open(path, "rb") as handle:
            data = handle.read(4 << 20)
    except OSError:
        raise DerivativeDamaged("无法读取") from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise DerivativeDamaged("内容与清单不符")
    size = _jpeg_size_clean(data) if path.suffix == ".jpg" else _webp_size_clean(data)
    if size != (width, height):
        raise DerivativeDamaged("不是预期尺寸的干净图片")
    return data


def _encode_job(_context: None, args: tuple[str, str, str]) -> tuple[str, list[Variant] | None, str | None]:
    path, digest, cache = args
    try:
        return digest, _encode(Path(path), digest, Path(cache)), None
    except PhotoError as exc:
        return digest, None, str(exc)
    except Exception as exc:  # noqa: BLE001 - one bad photo must not crash the build
        return digest, None, f"照片无法处理（{type(exc).__name__}: {exc}）。"


@dataclass
class PhotoResult:
    photos: dict[str, PhotoSet]  # by the record's photo.file
    problems: dict[str, str]  # photo.file -> Chinese message
    encoded: int  # how many were (re)encoded, the rest came from the cache
    originals: dict[str, Path]  # digest -> an original with that digest (to encode it again if need be)


def photo_cache(root: Path) -> Path:
    """The derivatives' folder in laomo's cache folder `root` (owner only)."""
    return private_folder(root / "photos")


def _run_jobs(todo: list[tuple[str, str, str]], jobs: int, progress: Callable[[int, int], None] | None,
              by_digest: dict[str, list[Variant]], failed: dict[str, str]) -> None:
    for n, (digest, variants, problem) in enumerate(map_in_processes(_encode_job, todo, None, jobs,
                                                                     parallel_from=5), 1):
        if variants is None:
            failed[digest] = problem or "照片无法处理。"
        else:
            by_digest[digest] = variants
        if progress:
            progress(n, len(todo))


def prepare_photos(photos_root: Path, files: set[str], cache: Path, jobs: int = 2,
                   progress: Callable[[int, int], None] | None = None) -> PhotoResult:
    """Derivatives of every photo in `files` (relative to `photos_root`), encoded into `cache` (photo_cache)."""
    cache.mkdir(parents=True, exist_ok=True, mode=0o700)
    problems: dict[str, str] = {}
    digests: dict[str, str] = {}
    originals: dict[str, Path] = {}
    remembered = DigestCache(cache)
    for rel in sorted(files):
        path = photos_root / rel
        try:
            digests[rel] = remembered.digest(path)
            originals.setdefault(digests[rel], path)
        except OSError as exc:
            problems[rel] = f"无法读取照片文件：{exc.strerror or exc}。"
    remembered.save()
    by_digest: dict[str, list[Variant]] = {}
    todo: list[tuple[str, str, str]] = []
    for digest, path in originals.items():
        try:
            cached = _cached(digest, cache, upright_size(path))
        except Exception:  # noqa: BLE001 - an unreadable original: encoding it says why
            cached = None
        if cached is not None:
            by_digest[digest] = cached
        else:
            todo.append((str(path), digest, str(cache)))
    failed: dict[str, str] = {}
    if todo:
        _run_jobs(todo, jobs, progress, by_digest, failed)
    photos: dict[str, PhotoSet] = {}
    for rel, digest in digests.items():
        if digest in failed:
            problems[rel] = failed[digest]
        else:
            photos[rel] = PhotoSet(digest, tuple(by_digest[digest]))
    return PhotoResult(photos, problems, len(todo), originals)


def _write_new(path: Path, data: bytes) -> None:
    with open(path, "xb") as handle:
        handle.write(data)


def place_photos(photos: Iterable[PhotoSet], cache: Path, out_dir: Path, originals: dict[str, Path]) -> int:
    """Write the checked bytes of each photo's cached derivatives into the site's photos/ folder (a
    derivative that fails its check is dropped with one line and the photo encoded again); returns the
    number of files."""
    count = 0
    made = False
    for photo in photos:
        if not made:
            out_dir.mkdir(parents=True, exist_ok=True)
            made = True
        try:
            files = [(v.webp, checked_bytes(cache / photo.digest / v.webp, v.width, v.height, v.webp_sha256))
                     for v in photo.variants]
            files += [(v.jpeg, checked_bytes(cache / photo.digest / v.jpeg, v.width, v.height, v.jpeg_sha256))
                      for v in photo.variants]
        except DerivativeDamaged as damage:
            discard(cache / photo.digest, str(damage))
            shutil.rmtree(cache / photo.digest, ignore_errors=True)
            variants = _encode(originals[photo.digest], photo.digest, cache)
            if [(v.width, v.height, v.webp, v.jpeg) for v in variants] != [
                    (v.width, v.height, v.webp, v.jpeg) for v in photo.variants]:
                raise PhotoError("照片衍生图重新生成后与之前不一致，请用 --full 重新构建。") from None
            files = [(v.webp, checked_bytes(cache / photo.digest / v.webp, v.width, v.height, v.webp_sha256))
                     for v in variants]
            files += [(v.jpeg, checked_bytes(cache / photo.digest / v.jpeg, v.width, v.height, v.jpeg_sha256))
                      for v in variants]
        for name, data in files:
            _write_new(out_dir / name, data)
            count += 1
    return count
