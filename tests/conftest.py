from __future__ import annotations

import os
import tempfile
import textwrap
from pathlib import Path

import pytest
from PIL import Image

REPO = Path(__file__).resolve().parent.parent

# Tests never touch the user's parse cache.
os.environ.setdefault("LAOMO_CACHE_DIR", tempfile.mkdtemp(prefix="laomo-cache-"))

VOCAB = """\
- title: 全国劳动模范
  recipient: individual
  level: national
  treatment: national
  authority: 中共中央、国务院
  revocation_route: central
- title: 陕西省劳动模范
  recipient: individual
  level: provincial
  treatment: provincial
  authority: 陕西省人民政府
  revocation_route: provincial_committee
- title: 北京市模范职工之家
  recipient: collective
  level: provincial
  treatment: none
  authority: 北京市总工会
  revocation_route: beijing_home
"""

WORKER = """\
id: {id}
name: 张建国
gender: 男
birth_year: 1970
region:
  province: 陕西省
  city: 西安市
unit: 西安某某机械厂
honours:
  - title: 全国劳动模范
    year: 2015
"""

HOME = """\
id: {id}
name: 某某有限公司工会委员会
employer: 某某有限公司
ownership: 国有
region:
  province: 北京市
honours:
  - title: 北京市模范职工之家
    year: 2020
"""


class Tree:
    """A small records tree (and optional private tree) written into tmp_path."""

    def __init__(self, root: Path):
        self.root = root
        self.records = root / "records"
        self.private = root / "private"
        for folder in ("workers", "homes", "stories", "photos", "vocab"):
            (self.records / folder).mkdir(parents=True)
        (self.records / "vocab" / "honours.yml").write_text(VOCAB, encoding="utf-8")

    def write(self, relative: str, text: str, private: bool = False) -> Path:
        path = (self.private if private else self.records) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def worker(self, worker_id: str = "zhang-jianguo", text: str | None = None) -> Path:
        return self.write(f"workers/{worker_id}.yml", text if text is not None else WORKER.format(id=worker_id))

    def home(self, home_id: str = "mou-home", text: str | None = None) -> Path:
        return self.write(f"homes/{home_id}.yml", text if text is not None else HOME.format(id=home_id))

    def photo(self, name: str, size: tuple[int, int] = (400, 500), fmt: str = "JPEG") -> Path:
        path = self.records / "photos" / name
        Image.new("RGB", size, (120, 90, 60)).save(path, fmt)
        return path


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    return Tree(tmp_path)
