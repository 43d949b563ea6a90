"""Build caches: nothing a pull request can write is read, and a damaged cache costs only time.

Every cache of `laomo build` (photo derivatives and their digests, the site's state, its views and search
documents, the lock) lives in laomo's folder of the user's cache folder, owner only, keyed by the absolute
paths of the records and the output. These tests plant caches — pickles that would run code and plain JSON
that would publish a page or a photo with GPS data — in every place the build used to read from, and damage
each entry of the real cache in turn: the site is always the one a clean build makes, nothing runs, and each
damaged entry is dropped with one line.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import stat
from pathlib import Path

import pytest
from PIL import Image

from generator.site.build import BuildFailed, build_site
from generator.site.photos import digest_of
from tests.site.conftest import MiniTree
from tests.site.test_incremental import site_differences as differences

OVERFLOWING_PICKLE = b"\x80\x05\x8e\xff\xff\xff\xff\xff\xff\xff\x7f"  # pickle.loads raises OverflowError


class Planted:
    """A pickle that, once unpickled, creates the file `path` (as any code could)."""

    def __init__(self, path: Path):
        self.path = path

    def __reduce__(self):
        return (os.system, (f"touch {self.path}",))


def gps_jpeg(path: Path, size: tuple[int, int] = (640, 800)) -> None:
    image = Image.new("RGB", size, (200, 10, 10))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (34.0, 15.0, 0.0)}  # GPSInfo
    image.save(path, "JPEG", exif=exif.tobytes())


@pytest.fixture
def records(tmp_path: Path) -> Path:
    mini = MiniTree(tmp_path / "work" / "records")
    mini.worker("zhang-jianguo", "张建国", extra="photo:\n  file: zhang.jpg\n  alt: 张建国在车间\n")
    mini.worker("li-xiuying", "李秀英", story="她在纺织车间工作了三十年。")
    Image.new("RGB", (800, 1000), (120, 90, 60)).save(mini.root / "photos" / "zhang.jpg", "JPEG")
    return mini.root


@pytest.fixture
def user_cache(tmp_path: Path, monkeypatch) -> Path:
    """The user's cache folder of these tests: XDG_CACHE_HOME, as on a staff machine."""
    monkeypatch.delenv("LAOMO_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "laomo"


def run(records: Path, out: Path, **options) -> list[str]:
    lines: list[str] = []
    build_site(records, out, jobs=1, echo=lines.append, **options)
    return lines


def reference(records: Path, tmp_path: Path) -> Path:
    """A clean build of `records` with a cache of its own."""
    out = tmp_path / "reference" / "site"
    run(records, out, cache=tmp_path / "reference-cache")
    return out


def plant_everything(records: Path, out: Path, ran: Path) -> None:
    """Every cache file the build has ever read, in every place it read them from, and more."""
    digest = digest_of(records / "photos" / "zhang.jpg")
    evil = pickle.dumps(Planted(ran))
    for base in (out.parent / ".cache", out.parent, out.parent / ".cache" / "laomo"):
        photos = base / "photos"
        folder = photos / digest
        folder.mkdir(parents=True, exist_ok=True)
        (photos / ".digests.pickle").write_bytes(evil)
        (photos / "digests.json").write_text(json.dumps({str(records / "photos" / "zhang.jpg"): [[0, 0, 0, 0], 0,
                                                                                              "0" * 64]}))
        (folder / "evil.html").write_text("<script>alert(1)</script>", encoding="utf-8")
        gps_jpeg(folder / f"{digest[:16]}-640.jpg")
        variants = [{"width": 640, "height": 800, "webp": "evil.html", "jpeg": f"{digest[:16]}-640.jpg"}]
        (folder / "variants.json").write_text(json.dumps(variants), encoding="utf-8")
        (folder / "manifest.json").write_text(json.dumps({"variants": variants}), encoding="utf-8")
        for state in (base / "site-state", base / "sites"):
            state.mkdir(exist_ok=True)
            for name in ("site-000000000000.pickle", "site-000000000000.views", "state.json", "views.pickle"):
                (state / name).write_bytes(evil)
            (state / "site-000000000000.search").mkdir(exist_ok=True)
            (state / "site-000000000000.search" / "00.pickle").write_bytes(evil)
        templates = base / "templates"
        templates.mkdir(exist_ok=True)
        (templates / "__jinja2_0123456789abcdef.cache").write_bytes(b"j2\x00" + evil)
        (base / "records-000000000000000000000000.pickle").write_bytes(evil)
        (base / "lock").write_text("", encoding="utf-8")


def test_planted_caches_beside_the_output_change_nothing_and_run_nothing(records: Path, tmp_path: Path,
                                                                        user_cache: Path):
    out = tmp_path / "work" / "site"
    ran = tmp_path / "ran"
    plant_everything(records, out, ran)
    run(records, out)
    assert not ran.exists()
    assert differences(out, reference(records, tmp_path)) == []
    assert not list(out.rglob("evil.html"))
    # and again, as an incremental build with the planted files still there
    run(records, out)
    assert not ran.exists()
    assert differences(out, reference(records, tmp_path)) == []
    assert user_cache.is_dir()


def test_caches_live_in_the_user_cache_folder_owner_only(records: Path, tmp_path: Path, user_cache: Path):
    out = tmp_path / "work" / "site"
    run(records, out)
    assert sorted(p.name for p in out.parent.iterdir()) == ["records", "site"]  # no .cache beside the output
    found = list(user_cache.rglob("*"))
    assert any(p.name == "state.json" for p in found) and any(p.suffix == ".webp" for p in found)
    assert stat.S_IMODE(user_cache.stat().st_mode) == 0o700
    for path in found:
        mode = stat.S_IMODE(path.lstat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


def test_a_fresh_clone_at_the_same_path_finds_its_state(records: Path, tmp_path: Path, user_cache: Path):
    """The state is keyed by the absolute paths: another clone of the same records at the same path, with
    the same site, builds incrementally; the same records elsewhere do not take it."""
    out = tmp_path / "work" / "site"
    run(records, out)
    assert build_site(records, out, jobs=1, echo=lambda line: None).incremental
    moved = tmp_path / "elsewhere" / "records"
    shutil.copytree(records, moved)
    assert not build_site(moved, out, jobs=1, echo=lambda line: None).incremental


def test_a_cache_folder_others_may_write_is_refused(records: Path, tmp_path: Path, user_cache: Path):
    user_cache.mkdir(parents=True)
    user_cache.chmod(0o777)
    with pytest.raises(BuildFailed) as failure:
        run(records, tmp_path / "work" / "site")
    assert "拒绝使用" in failure.value.message and "chmod 700" in failure.value.message
    user_cache.chmod(0o700)
    link = tmp_path / "link-cache"
    link.symlink_to(user_cache)
    with pytest.raises(BuildFailed) as failure:
        run(records, tmp_path / "work" / "site", cache=link)
    assert "符号链接" in failure.value.message


def _damage_truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: max(1, path.stat().st_size // 2)])


def _damage_overflow(path: Path) -> None:
    path.write_bytes(OVERFLOWING_PICKLE)


def _damage_garbage(path: Path) -> None:
    path.write_bytes(b"\x00\xff garbage")


def _damage_types(path: Path) -> None:
    data = json.loads(path.read_bytes())
    if isinstance(data, dict):
        key = "units" if "units" in data else next(iter(data))
        data[key] = {"not": ["what", "was", "written"]}
    else:
        data[0] = 12345
    path.write_text(json.dumps(data), encoding="utf-8")


def _damage_evil_pickle(path: Path) -> None:
    path.write_bytes(pickle.dumps(Planted(path.parent / "ran")))


def _remove(path: Path) -> None:
    path.unlink()


def _replace_with_gps_photo(path: Path) -> None:
    with Image.open(path) as image:
        size = image.size
    gps_jpeg(path, size)


ENTRIES = {  # which file of the cache, how it is damaged, and whether only a full build reads it (the quick
    # path of a story edit reads no photo and no parse cache, and an incremental build does not place an
    # unchanged photo again)
    "state-truncated": ("sites/*/state.json", _damage_truncate, False),
    "state-types": ("sites/*/state.json", _damage_types, False),
    "views-overflow": ("sites/*/views.pickle", _damage_overflow, False),
    "views-evil": ("sites/*/views.pickle", _damage_evil_pickle, False),
    "documents-garbage": ("sites/*/search/delta.json", _damage_garbage, False),
    "documents-types": ("sites/*/search/delta.json", _damage_types, False),
    "digests-garbage": ("photos/digests.json", _damage_garbage, True),
    "manifest-types": ("photos/*/manifest.json", _damage_types, True),
    "manifest-missing": ("photos/*/manifest.json", _remove, True),
    "derivative-missing": ("photos/*/*-160.webp", _remove, True),
    "derivative-truncated": ("photos/*/*-640.jpg", _damage_truncate, True),
    "derivative-gps": ("photos/*/*-320.jpg", _replace_with_gps_photo, True),
    "parse-cache-overflow": ("records-*.pickle", _damage_overflow, True),
    "parse-cache-evil": ("records-*.pickle", _damage_evil_pickle, True),
}


@pytest.mark.parametrize("entry", sorted(ENTRIES))
def test_a_damaged_cache_entry_is_dropped_with_one_line_and_rebuilt(entry: str, records: Path, tmp_path: Path,
                                                                    user_cache: Path, capfd, monkeypatch):
    from generator.load import cache as load_cache
    from generator.site import state as site_state

    pattern, damage, full = ENTRIES[entry]
    monkeypatch.setenv("LAOMO_CACHE_DIR", str(user_cache))  # the parse cache too
    # trust file stamps at once, so that the quick path is taken (see test_incremental.settled)
    monkeypatch.setattr(site_state, "RACY_NS", 0)
    monkeypatch.setattr(load_cache, "RACY_NS", 0)
    out = tmp_path / "work" / "site"
    run(records, out)
    # an edit, so that the search index has a delta whose documents are kept (search/delta.json); then another,
    # so that the next build reads the state, the views and those documents (quick path)
    path = records / "workers" / "li-xiuying.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("三十年", "三十一年"), encoding="utf-8")
    run(records, out)
    path.write_text(path.read_text(encoding="utf-8").replace("三十一年", "三十二年"), encoding="utf-8")
    targets = sorted(user_cache.glob(pattern))
    assert targets, pattern
    for target in targets:
        damage(target)
    capfd.readouterr()
    run(records, out, full=full)
    err = capfd.readouterr().err
    lines = [line for line in err.splitlines() if "已丢弃" in line]
    assert 1 <= len(lines) <= len(targets), (err, capfd.readouterr())
    assert all("缓存文件" in line for line in lines)
    assert "Traceback" not in err
    assert not (tmp_path / "ran").exists() and not list(user_cache.rglob("ran"))
    clean = reference(records, tmp_path)
    assert differences(out, clean) == []
    # and the cache is whole again: the next build says nothing
    run(records, out)
    assert "已丢弃" not in capfd.readouterr().err
    # --full always works
    run(records, out, full=True)
    assert differences(out, clean) == []


def test_files_planted_in_the_shadow_never_reach_the_site(records: Path, tmp_path: Path, user_cache: Path,
                                                         monkeypatch):
    """The shadow beside the output (`.site.next`, made by an incremental build) is in the output's parent:
    a file added there, or one replaced (as a checkout would), is noticed and the shadow made again."""
    from generator.load import cache as load_cache
    from generator.site import atomic
    from generator.site import state as site_state

    monkeypatch.setattr(site_state, "RACY_NS", 0)
    monkeypatch.setattr(load_cache, "RACY_NS", 0)
    out = tmp_path / "work" / "site"
    story = records / "workers" / "li-xiuying.yml"
    run(records, out)
    for n, plant in enumerate(("added", "replaced")):
        story.write_text(story.read_text(encoding="utf-8").replace("工作了", f"工作{n}了"), encoding="utf-8")
        run(records, out)  # makes (then keeps) the shadow
        shadow = atomic.shadow_of(out)
        assert (shadow / "index.html").is_file()
        if plant == "added":
            (shadow / "evil.html").write_text("<script>alert(1)</script>", encoding="utf-8")
        else:
            (shadow / "index.html").unlink()
            (shadow / "index.html").write_text("<script>alert(1)</script>", encoding="utf-8")
        story.write_text(story.read_text(encoding="utf-8").replace("车间", "车间里"), encoding="utf-8")
        run(records, out)
        assert "alert(1)" not in (out / "index.html").read_text(encoding="utf-8")
        assert not (out / "evil.html").exists()
        assert differences(out, reference(records, tmp_path / plant)) == []
