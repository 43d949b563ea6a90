"""The workbooks printed through LibreOffice: A4 landscape pages, nothing cut off, 内部资料 on every page.

The PNGs of the pages go to tests/artifacts/reports-print/ to be looked at.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

ARTIFACTS = REPO / "tests" / "artifacts" / "reports-print"
LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")

pytestmark = pytest.mark.skipif(LIBREOFFICE is None or shutil.which("pdftotext") is None,
                                reason="LibreOffice (Debian libreoffice-calc) and poppler-utils are not installed")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("print") / "reports"
    done = subprocess.run(
        [sys.executable, "-m", "generator", "report", "--private", "examples/private", "--as-of", "2026-11-20",
         "--out", str(out)], cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    converted = out.parent / "pdf"
    profile = out.parent / "lo-profile"  # a profile of its own: never the user's, never shared with a running one
    subprocess.run([str(LIBREOFFICE), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(converted), str(out / "eligibility.xlsx"), str(out / "revocation.xlsx")],
                   capture_output=True, check=True, timeout=300)
    found = {p.stem: p for p in converted.glob("*.pdf")}
    assert set(found) == {"eligibility", "revocation"}
    if shutil.which("pdftoppm"):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for stem, pdf in found.items():
            subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / stem)], check=True)
    return found


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def test_every_page_is_marked_and_dated(pdfs: dict[str, Path]):
    for pdf in pdfs.values():
        pages = _pages(pdf)
        assert pages
        for page in pages:
            assert "内部资料" in page and "统计日 2026-11-20" in page


def test_pages_are_a4_landscape(pdfs: dict[str, Path]):
    for pdf in pdfs.values():
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        size = next(line for line in info.splitlines() if line.startswith("Page size"))
        width, height = (float(v) for v in size.split(":")[1].split("pts")[0].split("x"))
        assert (round(width), round(height)) == (842, 595), size


def test_no_column_spills_onto_a_page_of_its_own(pdfs: dict[str, Path]):
    """Each rule's sheet fits the page width: every page shows the heading row's first and last columns."""
    for pdf in pdfs.values():
        for page in _pages(pdf):
            if "序号" in page:
                assert "说明" in page, page[:400]


def test_wrapped_text_is_printed_whole(pdfs: dict[str, Path]):
    """Row heights fit the wrapped text: the end of the longest explanations is on the page."""
    text = "".join(_pages(pdfs["eligibility"])).replace(" ", "").replace("\n", "")
    for ending in ("应每月补助200元。", "无法判断是否符合生活困难补助条件。", "给予一次性救助5000元。"):
        assert ending in text
