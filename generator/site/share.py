"""Sharing a profile: the QR code of its address, drawn at build time (segno) as inline SVG.

The 分享 button (theme/assets/laomo/share.js) uses the Web Share API where the browser has one and
otherwise shows this code and copies the link. One code costs about 1.5 ms: the mask is fixed (segno
would otherwise try all eight, 6 ms) and error correction level M is kept — a phone reads it from a
screen or a printed page alike.
"""

from __future__ import annotations

import io
from functools import lru_cache

import segno


@lru_cache(maxsize=1024)
def qr_svg(url: str) -> str:
    """An SVG of the QR code of `url`, 4 px a module, named for screen readers."""
    code = segno.make_qr(url, error="m", mask=0, boost_error=False)
    out = io.BytesIO()
    code.save(out, kind="svg", xmldecl=False, svgns=True, nl=False, scale=4, border=2, omitsize=False,
              svgclass="laomo-qr", lineclass=None, dark="#000", light="#fff")
    svg = out.getvalue().decode("utf-8")
    return svg.replace("<svg ", '<svg role="img" aria-label="本页地址的二维码" ', 1)
