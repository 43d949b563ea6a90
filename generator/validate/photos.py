"""Photos referenced by records: inside records/photos/, present, and safe to decode."""

from __future__ import annotations

import os
import stat
import warnings
from collections.abc import Mapping
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from generator.load.cache import ParseCache, Stamp, file_digest, stamp_of
from generator.parallel import cores, map_in_processes

MAX_PHOTO_BYTES = 50 * 1024 * 1024
# JPEG is decoded with Pillow's draft (an eighth of each side at most), so a 100 MP camera photo costs
# a few MB; PNG and WebP are decoded whole, so they get half of that. A 30000x30000 bomb is 900 MP.
MAX_PHOTO_PIXELS = 100_000_000  # site.photos.MAX_PIXELS is the same (a test keeps them equal)
MAX_LOSSLESS_PIXELS = 50_000_000
MIN_PHOTO_SIDE = 160
PARALLEL_FROM = 200  # reading a photo's header costs about a millisecond: worth a second process sooner than YAML
FORMATS = {"JPEG", "PNG", "WEBP"}


class PhotoChecks:
    """Verdicts on photos, remembered by the photo's content.

    Opening and verifying thousands of photos on every run costs seconds; a photo with the same bytes as
    one checked before gets the verdict it had then, whatever its stamp (a fresh clone of the records only
    costs reading and digesting them), and a photo not touched since it was read is not read at all.
    Whether its path stays inside records/photos/ is checked on every run: that is not in its bytes.
    """

    def __init__(self, photos_root: Path, digests: Mapping[str, bytes] | None = None):
        self.root = photos_root
        self.digests = digests or {}  # content digests known to the caller, by path below records/
        self.cache = ParseCache(photos_root, "photo-verdicts")
        self.verdicts: dict[str, str | None] = {}  # this run's, by path
        try:  # records/photos/ itself no link out of the records: a plain file right in it is inside
            self.root_inside = photos_root.resolve() == photos_root.parent.resolve() / photos_root.name
        except (OSError, RuntimeError):
            self.root_inside = False

    def _stamp(self, relative: str) -> Stamp | None:
        """The stamp of a plain file (never of a link, whose target may change under the same stamp)."""
        try:
            info = os.lstat(self.root / relative)
        except (OSError, ValueError):
            return None
        return stamp_of(info) if stat.S_ISREG(info.st_mode) else None

    def check(self, relatives: list[str]) -> None:
        """Work out every verdict not remembered yet, on every core when there are many photos."""
        todo: list[tuple[str, Stamp | None]] = []
        for relative in dict.fromkeys(relatives):
            if relative in self.verdicts:
                continue
            stamp = self._stamp(relative)
            known = self.cache.known(relative, stamp) if stamp is not None else None
            if known is None and stamp is not None:
                known = self.digests.get(f"{self.root.name}/{relative}")
            remembered = self.cache.get(known) if known is not None else None
            if known is not None and remembered is not None and self._inside(relative):
                self.verdicts[relative] = remembered or None
                self.cache.restamp(relative, known, stamp)
            else:
                todo.append((relative, stamp))
        verdicts = map_in_processes(_verdict, [relative for relative, _ in todo], (self.root, self.cache), cores(),
                                    parallel_from=PARALLEL_FROM)
        for (relative, stamp), (content, verdict) in zip(todo, verdicts):
            self.verdicts[relative] = verdict
            if content is not None:
                self.cache.put(relative, content, verdict or "", stamp)

    def _inside(self, relative: str) -> bool:
        """Whether the path of a photo that has a stamp (a plain file, see `_stamp`) is fine."""
        if self.root_inside and "/" not in relative and "\\" not in relative and relative not in (".", ".."):
            return True  # a plain file named right in records/photos/
        return _path_problem(self.root, relative) is None

    def problem(self, relative: str) -> str | None:
        self.check([relative])
        return self.verdicts[relative]

    def save(self) -> None:
        self.cache.keep_only(set(self.verdicts))
        self.cache.save()


def _verdict(context: tuple[Path, ParseCache], relative: str) -> tuple[bytes | None, str | None]:
    """(digest of the photo's content when the verdict is one on its content, the verdict); runs in workers."""
    photos_root, cache = context
    problem = _path_problem(photos_root, relative)
    if problem is not None:
        return None, problem
    path = photos_root / relative
    try:
        if path.stat().st_size > MAX_PHOTO_BYTES:
            return None, photo_problem(photos_root, relative)
        content = file_digest(path)
    except OSError:
        return None, photo_problem(photos_root, relative)
    remembered = cache.get(content)
    if remembered is not None:
        return content, remembered or None
    return content, photo_problem(photos_root, relative)


def _path_problem(photos_root: Path, relative: str) -> str | None:
    """Why the photo's path cannot be used (outside records/photos/, missing); None when it can."""
    if relative.startswith(("/", "\\")) or "\\" in relative or ".." in Path(relative).parts:
        return f"照片路径“{relative}”不能离开 records/photos/ 目录。请只写文件名，例如 zhang-jianguo.jpg。"
    path = photos_root / relative
    try:  # a linked records/photos is outside too: it must resolve inside the records folder it is in
        path.resolve().relative_to(photos_root.parent.resolve() / photos_root.name)
    except (ValueError, OSError, RuntimeError):
        return f"照片路径“{relative}”指向 records/photos/ 目录之外，不予读取。请把照片放进 records/photos/。"
    if not path.is_file():
        return f"找不到照片文件 records/photos/{relative}。请检查文件名（区分大小写）或先上传照片。"
    return None


def photo_problem(photos_root: Path, relative: str) -> str | None:
    """Why the photo cannot be used, in Chinese; None when it is fine. Never decodes pixels."""
    problem = _path_problem(photos_root, relative)
    if problem is not None:
        return problem
    path = photos_root / relative
    size = path.stat().st_size
    if size > MAX_PHOTO_BYTES:
        return f"照片文件太大（{size / 1024 / 1024:.1f} MB，上限 {MAX_PHOTO_BYTES // 1024 // 1024} MB）。请先缩小后再上传。"
    try:
        with warnings.catch_warnings():
            # sizes are checked below, against our limits and with the size in the message; Pillow's own
            # check still raises DecompressionBombError far above them, before anything is decoded
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                fmt, (width, height) = image.format, image.size
                if fmt not in FORMATS:
                    return f"照片格式为 {fmt}，只接受 JPEG、PNG 或 WebP。请转换格式后上传。"
                limit = MAX_PHOTO_PIXELS if fmt == "JPEG" else MAX_LOSSLESS_PIXELS
                if width * height > limit:
                    return (f"照片尺寸过大（{width}×{height} 像素，约 {width * height // 10_000} 万像素），"
                            f"{fmt} 照片上限 {limit // 10_000} 万像素。请缩小后再上传（短边 2000 像素就足够）。")
                image.verify()
    except Image.DecompressionBombError:
        return (f"照片尺寸过大，远超上限（{MAX_PHOTO_PIXELS // 10_000} 万像素），可能是有害的“解压炸弹”文件，"
                "已拒绝。请换一张正常尺寸的照片。")
    except UnidentifiedImageError:
        return "照片文件无法识别，可能已损坏或不是图片。请重新导出为 JPEG 或 PNG。"
    except (OSError, SyntaxError, ValueError):  # Pillow's own words are English: not shown
        return "照片文件已损坏（读到一半出错，可能没有上传完整）。请重新导出为 JPEG 或 PNG。"
    if min(width, height) < MIN_PHOTO_SIDE:
        return f"照片太小（{width}×{height} 像素），短边至少 {MIN_PHOTO_SIDE} 像素才能清晰显示。"
    return None
