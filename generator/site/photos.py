"""Photos for the public site: re-encoded pixels only, in a few widths, cached by content.

For each original in `records/photos/` the site gets WebP and JPEG copies at
160, 320 and 640 px wide (never wider than the original). The EXIF orientation
is applied, colours are converted to sRGB, and a brand-new image is built from
the pixels alone, so no EXIF, GPS, XMP, ICC profile, comment or PNG text chunk
can survive. The original file is never copied.

Derivatives are cached in `<cache>/<sha256 of the original>/` so a rebuild only
links (or copies) them. The digest of an original is remembered by its inode,
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
import shutil
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from generator.load.cache import RACY_NS, read_pickle, stamp_of, write_pickle

WIDTHS = (160, 320, 640)
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


@dataclass(frozen=True)
class PhotoSet:
    """The derivatives of one original, smallest first."""

    digest: str
    variants: tuple[Variant, ...]

    @property
    def largest(self) -> Variant:
        return self.variants[-1]

    def pick(self, width: int) -> Variant:
        """The smallest variant at least `width` wide (or the largest there is)."""
        for variant in self.variants:
            if variant.width >= width:
                return variant
        return self.largest

    def files(self) -> list[str]:
        return [name for v in self.variants for name in (v.webp, v.jpeg)]


class DigestCache:
    """Digest of an original by (inode, size, mtime, ctime): a photo not touched since is not read again."""

    def __init__(self, cache: Path):
        self.path = cache / ".digests.pickle"
        self.entries: dict[str, tuple[tuple[int, int, int, int], int, str]] = {}
        self.changed = False
        self.used: set[str] = set()
        loaded = read_pickle(self.path)
        if isinstance(loaded, dict):
            self.entries = loaded

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
            write_pickle(self.path, self.entries)


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
            upright = ImageCms.profileToProfile(upright, source_profile, ImageCms.createProfile("sRGB"),
                                                outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unusable profile: fall back to a plain conversion
    if upright.mode != "RGB":
        upright = upright.convert("RGB")
    # a fresh image from the pixels alone: nothing of the original's metadata comes along
    return Image.frombytes("RGB", upright.size, upright.tobytes())


def _encode(path: Path, digest: str, cache: Path) -> list[Variant]:
    pixels = _open_pixels(path)
    width, height = pixels.size
    folder = cache / digest
    tmp = cache / f".{digest}.{os.getpid()}.tmp"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    variants = []
    short = digest[:16]
    source = pixels
    for w in sorted(target_widths(width), reverse=True):  # each width from the next larger one: faster
        h = max(1, round(height * w / width))
        resized = source if w == source.width else source.resize((w, h), Image.Resampling.LANCZOS,
                                                                 reducing_gap=3.0)
        variant = Variant(w, h, f"{short}-{w}.webp", f"{short}-{w}.jpg")
        resized.save(tmp / variant.webp, "WEBP", quality=80, method=2)
        resized.save(tmp / variant.jpeg, "JPEG", quality=82, optimize=True, progressive=True)
        variants.append(variant)
        source = resized
    variants.reverse()
    (tmp / "variants.json").write_text(json.dumps([v.__dict__ for v in variants]), encoding="utf-8")
    try:
        tmp.rename(folder)
    except OSError:  # another process finished first
        shutil.rmtree(tmp, ignore_errors=True)
    return variants


def _cached(digest: str, cache: Path) -> list[Variant] | None:
    folder = os.path.join(cache, digest)
    try:
        present = set(os.listdir(folder))
        with open(os.path.join(folder, "variants.json"), encoding="utf-8") as handle:
            variants = [Variant(**v) for v in json.load(handle)]
    except (OSError, ValueError, TypeError):
        return None
    if all(name in present for v in variants for name in (v.webp, v.jpeg)):
        return variants
    return None


def _encode_job(args: tuple[str, str, str]) -> tuple[str, list[Variant] | None, str | None]:
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


def prepare_photos(photos_root: Path, files: set[str], cache: Path, jobs: int = 2, progress=None) -> PhotoResult:
    """Derivatives of every photo in `files` (relative to `photos_root`), encoded into the cache."""
    cache.mkdir(parents=True, exist_ok=True)
    ignore = cache.parent / ".gitignore"
    if cache.parent.name == ".cache" and not ignore.exists():
        ignore.write_text("# derivatives of records/photos, rebuilt on demand\n*\n", encoding="utf-8")
    problems: dict[str, str] = {}
    digests: dict[str, str] = {}
    remembered = DigestCache(cache)
    for rel in sorted(files):
        path = photos_root / rel
        try:
            digests[rel] = remembered.digest(path)
        except OSError as exc:
            problems[rel] = f"无法读取照片文件：{exc.strerror or exc}。"
    remembered.save()
    by_digest: dict[str, list[Variant]] = {}
    todo: list[tuple[str, str, str]] = []
    queued: set[str] = set()
    for rel, digest in digests.items():
        if digest in by_digest or digest in queued:
            continue
        cached = _cached(digest, cache)
        if cached is not None:
            by_digest[digest] = cached
        else:
            todo.append((str(photos_root / rel), digest, str(cache)))
            queued.add(digest)
    failed: dict[str, str] = {}
    if todo:
        if jobs > 1 and len(todo) > 4:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                results = pool.map(_encode_job, todo, chunksize=max(1, len(todo) // (jobs * 8)))
                for n, (digest, variants, problem) in enumerate(results, 1):
                    if variants is None:
                        failed[digest] = problem or "照片无法处理。"
                    else:
                        by_digest[digest] = variants
                    if progress:
                        progress(n, len(todo))
        else:
            for n, job in enumerate(todo, 1):
                digest, variants, problem = _encode_job(job)
                if variants is None:
                    failed[digest] = problem or "照片无法处理。"
                else:
                    by_digest[digest] = variants
                if progress:
                    progress(n, len(todo))
    photos: dict[str, PhotoSet] = {}
    for rel, digest in digests.items():
        if digest in failed:
            problems[rel] = failed[digest]
        else:
            photos[rel] = PhotoSet(digest, tuple(by_digest[digest]))
    return PhotoResult(photos, problems, len(todo))


def place(source: Path, target: Path) -> None:
    """`target` as a hard link to `source` when they share a file system (no data copied), else a copy.
    Nothing ever writes into a site file in place, so sharing the inode with the cache is safe."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def copy_photos(photos: Iterable[PhotoSet], cache: Path, out_dir: Path) -> int:
    """Put the cached derivatives into the site's photos/ folder; returns the number of files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    done: set[str] = set()
    count = 0
    for photo in photos:
        if photo.digest in done:
            continue
        done.add(photo.digest)
        for name in photo.files():
            place(cache / photo.digest / name, out_dir / name)
            count += 1
    return count
