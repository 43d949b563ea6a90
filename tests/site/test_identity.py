"""An incremental build equals a full build byte for byte, whatever input changed.

For each class of input — a record, a story, a template of the theme, a module of the package (one that no
page key covers: `generator/surnames.py`, read by the search words only), mkdocs.yml — one character is
changed, the site is rebuilt incrementally and compared with a `--full` build of the same inputs. The code
and theme are a copy (the package, theme/, mkdocs.yml and guide/ in a temporary folder) run by `python -m
generator` in a child process, so that changing them changes what the build runs; were the class left out
of the environment digest (state.environment), the incremental build would keep the old output and differ.
Each change is first checked to change the full build's output, so no case passes by changing nothing. The
search index is compared by the pages it holds (test_incremental.site_differences): an incremental build keeps
the base index and puts the changed pages into a delta, other files giving the same results.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.site.conftest import RECORDS, REPO
from tests.site.test_incremental import differences, site_differences

CODE = ("generator", "theme", "mkdocs.yml", "guide")

# (input class, file below the copy's root, text, its replacement): one character each
CHANGES = [
    ("record", "records/workers/qiu-zhiming.yml", "name: 仇志明", "name: 仇智明"),
    ("story", "records/stories/welding-mentor-and-apprentice.md", "传下去才有用", "传下去才管用"),
    ("template", "code/theme/laomo/search_record.html", "类别:", "类型:"),
    # 强 read both ways in given names (白志强: qiang, jiang) no more
    ("module", "code/generator/surnames.py", "都强查", "都弓查"),
    ("mkdocs.yml", "code/mkdocs.yml", "copyright: 劳模馆 ·", "copyright: 劳模馆 |"),
]


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("identity")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in CODE:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / "code" / name, ignore=ignore)
        else:
            shutil.copy2(source, root / "code" / name)
    shutil.copytree(RECORDS, root / "records")
    return root


def laomo_build(root: Path, out: Path, *, full: bool = False) -> str:
    """`laomo build` run from the copy of the code; its output, with the line saying whether it was incremental."""
    env = {**os.environ, "PYTHONPATH": str(root / "code"), "LAOMO_CACHE_DIR": str(root / "cache")}
    command = [sys.executable, "-m", "generator", "build", "--records", str(root / "records"), "--out", str(out)]
    done = subprocess.run(command + (["--full"] if full else []), cwd=root / "code", env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_child_runs_the_copy(copy: Path):
    env = {**os.environ, "PYTHONPATH": str(copy / "code")}
    where = subprocess.run([sys.executable, "-c", "import generator; print(generator.__file__)"], cwd=copy / "code",
                           env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).resolve() == (copy / "code" / "generator" / "__init__.py").resolve()


def test_incremental_equals_full_for_every_input_class(copy: Path):
    site = copy / "site"
    laomo_build(copy, site)
    before = copy / "before"
    for kind, rel, old, new in CHANGES:
        shutil.rmtree(before, ignore_errors=True)
        shutil.copytree(site, before, symlinks=True)
        path = copy / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (kind, rel)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

        said = laomo_build(copy, site)
        full = copy / f"full-{kind}" / "site"
        laomo_build(copy, full, full=True)
        assert differences(before, full), f"{kind}: the change changes no output, so it proves nothing"
        assert site_differences(site, full) == [], f"{kind}: the incremental build differs from --full ({said})"
