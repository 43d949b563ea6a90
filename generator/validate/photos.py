"""Photos referenced by records: inside records/photos/, present, and safe to decode."""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from generator.load.cache import ParseCache
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
    """Verdicts on photos, remembered by file size and modification time.

    Opening and verifying thousands of photos on every run costs seconds; a photo
    that has not changed on disk gets the verdict it had last time.
    """

    def __init__(self, photos_root: Path):
        self.root = photos_root
        self.cache = ParseCache(photos_root, "photo-verdicts")
        self.unstamped: dict[str, str | None] = {}  # verdicts on paths that cannot be stat'ed

    def _stamp(self, relative: str) -> bytes | None:
        try:
            info = (self.root / relative).stat()
        except (OSError, ValueError):
            return None
        return f"{info.st_size}:{info.st_mtime_ns}".encode()

    def check(self, relatives: list[str]) -> None:
        """Work out every verdict not remembered yet, on every core when there are many photos."""
        todo = []
        for relative in dict.fromkeys(relatives):
            stamp = self._stamp(relative)
            if stamp is None or self.cache.get(relative, stamp) is None:
                todo.append(relative)
        for relative, verdict in zip(todo, map_in_processes(photo_problem, todo, self.root, cores(),
                                                                 parallel_from=PARALLEL_FROM)):
            self._remember(relative, self._stamp(relative), verdict)

    def _remember(self, relative: str, stamp: bytes | None, verdict: str | None) -> None:
        if stamp is None:
            self.unstamped[relative] = verdict
        else:
            self.cache.put(relative, stamp, verdict or "")

    def problem(self, relative: str) -> str | None:
        stamp = self._stamp(relative)
        remembered = self.cache.get(relative, stamp) if stamp is not None else None
        if remembered is not None:
            return remembered or None
        if stamp is None and relative in self.unstamped:
            return self.unstamped[relative]
        verdict = photo_problem(self.root, relative)
        self._remember(relative, stamp, verdict)
        return verdict

    def save(self) -> None:
        self.cache.save()


def photo_problem(photos_root: Path, relative: str) -> str | None:
    """Why the photo cannot be used, in Chinese; None when it is fine. Never decodes pixels."""
    if relative.startswith(("/", "\\")) or "\\" in relative or ".." in Path(relative).parts:
        return f"照片路径“{relative}”不能离开 records/photos/ 目录。请只写文件名，例如 zhang-jianguo.jpg。"
    path = photos_root / relative
    try:  # a linked records/photos is outside too: it must resolve inside the records folder it is in
        path.resolve().relative_to(photos_root.parent.resolve() / photos_root.name)
    except (ValueError, OSError, RuntimeError):
        return f"照片路径“{relative}”指向 records/photos/ 目录之外，不予读取。请把照片放进 records/photos/。"
    if not path.is_file():
        return f"找不到照片文件 records/photos/{relative}。请检查文件名（区分大小写）或先上传照片。"
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
