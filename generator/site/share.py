"""Sharing a profile: the QR code of its address, drawn at build time (segno) as inline SVG.

The 分享 button (theme/assets/laomo/share.js) uses the Web Share API where the browser has one and
otherwise shows this code and copies the link. Drawing one code costs about 1.2 ms (the mask is fixed:
segno would otherwise try all eight, 6 ms), too much for 20,000 profiles in every full build, so codes
are kept in laomo's cache folder (owner only), one small file per address, and a cached file is used only
when it has exactly the shape segno draws.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from pathlib import Path

import segno

# part of every cache key: change it when the drawing below changes
DRAWING = "segno-m-mask0-scale4-border2-v1"
_MAX_SVG = 1 << 16  # a code of a site address is 2-4 KB; a longer file is not ours
# The only shape a cached code may have (it goes into pages unescaped): our own SVG, nothing but paths.
_CACHED_SVG = re.compile(r'<svg role="img" aria-label="本页地址的二维码" xmlns="http://www\.w3\.org/2000/svg" '
                         r'width="\d+" height="\d+" class="laomo-qr"><g transform="scale\(4\)">'
                         r'(?:<path (?:fill|stroke)="#(?:fff|000)" d="[MmHhVvZz0-9. -]+"/>)+</g></svg>')


def qr_svg(url: str) -> str:
    """An SVG of the QR code of `url`, 4 px a module, named for screen readers."""
    code = segno.make_qr(url, error="m", mask=0, boost_error=False)
    out = io.BytesIO()
    code.save(out, kind="svg", xmldecl=False, svgns=True, nl=False, scale=4, border=2, omitsize=False,
              svgclass="laomo-qr", lineclass=None, dark="#000", light="#fff")
    return out.getvalue().decode("utf-8").replace("<svg ", '<svg role="img" aria-label="本页地址的二维码" ', 1)


class QrCodes:
    """QR codes by address, drawn once and kept in `folder` (None: drawn every time)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def svg(self, url: str) -> str:
        if self.folder is None:
            return qr_svg(url)
        path = self.folder / (hashlib.sha256(f"{DRAWING}\n{url}".encode()).hexdigest()[:32] + ".svg")
        try:  # one open, read and close (Path.read_text costs three times as much, for each of 20,000 profiles)
            handle = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            try:
                cached = os.read(handle, _MAX_SVG + 1).decode("utf-8")
            finally:
                os.close(handle)
            if len(cached) <= _MAX_SVG and _CACHED_SVG.fullmatch(cached):
                return cached
        except (OSError, UnicodeDecodeError):
            pass
        svg = qr_svg(url)
        try:  # renderers run in parallel: each file is written whole or not at all
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(svg, encoding="utf-8")
            os.chmod(partial, 0o600)  # laomo's cache folder is owner only, file by file
            os.replace(partial, path)
        except OSError:
            pass  # a read-only cache only costs time
        return svg
