"""A fresh clone of the records at the same path (every file new: new inodes, new stamps), with the previous
site and the build state kept, as the deploy workflow restores them: "unchanged" means the same content, so
nothing that did not change is parsed or checked again, and the site equals a full build byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.load import folder as load_folder
from generator.load import public as load_public
from generator.validate import photos as validate_photos
from tests.site.conftest import RECORDS, build
from tests.site.test_incremental import site_differences


def clone(records: Path) -> None:
    """`records` replaced by a copy of itself at the same path, every file written anew (as git checks out)."""
    copy = records.with_name("clone")
    shutil.copytree(records, copy, copy_function=shutil.copyfile)
    records.rename(records.with_name("before-clone"))
    copy.rename(records)


class Counted:
    """Counts the calls of a function it wraps."""

    def __init__(self, function):
        self.function, self.calls, self.args = function, 0, []

    def __call__(self, *args, **kwargs):
        self.calls += 1
        self.args.append(args[1:])
        return self.function(*args, **kwargs)


@pytest.fixture
def work(tmp_path: Path) -> Path:
    records = tmp_path / "work" / "records"
    shutil.copytree(RECORDS, records)
    return records


def full_build(records: Path, tmp_path: Path) -> Path:
    out = tmp_path / "full" / "site"
    assert not build(records, out, cache=tmp_path / "full-cache").incremental
    return out


def test_a_fresh_clone_with_one_story_edited_parses_only_that_story(work: Path, tmp_path: Path, monkeypatch):
    out = tmp_path / "work" / "site"
    build(work, out, cache=tmp_path / "cache")
    clone(work)
    story = sorted((work / "stories").glob("*.md"))[0]
    with story.open("a", encoding="utf-8") as handle:
        handle.write("\n克隆之后补充的一段话。\n")
    parses = Counted(load_folder.quick_parse)
    careful = Counted(load_public.parse_yaml)
    photo_checks = Counted(validate_photos.photo_problem)
    monkeypatch.setattr(load_folder, "quick_parse", parses)
    monkeypatch.setattr(load_public, "parse_yaml", careful)
    monkeypatch.setattr(validate_photos, "photo_problem", photo_checks)
    report = build(work, out, cache=tmp_path / "cache")
    assert report.incremental and "quick" not in report.timings
    assert report.rendered <= 3, report.rendered  # the story's page (and the lists showing it)
    # the records, the vocabulary aside, are taken from the parse cache by their content; so are the photos'
    # verdicts; the edited story alone is parsed
    assert parses.calls == 0 and photo_checks.calls == 0
    parsed = {Path(args[0]).name for args in careful.args}
    # besides the vocabulary (always read) and the edited story, only files a warning points into, for its line
    warned = {name for name in parsed if any(name in line for line in report.log)}
    assert parsed - warned == {"honours.yml", story.name}, (parsed, report.log)
    monkeypatch.undo()
    assert site_differences(out, full_build(work, tmp_path)) == []


def test_a_fresh_clone_with_one_record_story_edited_takes_the_quick_path(work: Path, tmp_path: Path):
    out = tmp_path / "work" / "site"
    build(work, out, cache=tmp_path / "cache")
    clone(work)
    path = work / "workers" / "zhang-jianguo.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("story: |\n", "story: |\n  克隆之后补充：他还带出了一支青年突击队。\n\n", 1), encoding="utf-8")
    report = build(work, out, cache=tmp_path / "cache")
    assert "quick" in report.timings and report.rendered == 1, report
    assert site_differences(out, full_build(work, tmp_path)) == []


def test_a_fresh_clone_with_nothing_changed_renders_nothing(work: Path, tmp_path: Path):
    out = tmp_path / "work" / "site"
    build(work, out, cache=tmp_path / "cache")
    clone(work)
    report = build(work, out, cache=tmp_path / "cache")
    assert report.incremental and report.rendered == 0 and report.search_rebuilt == 0


def test_a_site_restored_from_a_cache_with_its_state_is_built_incrementally(work: Path, tmp_path: Path):
    # the deploy workflow: a new machine, the records checked out afresh, the previous site and laomo's cache
    # folder restored from actions/cache (every file a new inode); an older or foreign copy is not trusted
    out, cache = tmp_path / "work" / "site", tmp_path / "cache"
    build(work, out, cache=cache)
    older = tmp_path / "older"
    shutil.copytree(out, older, copy_function=shutil.copyfile)
    clone(work)
    story = sorted((work / "stories").glob("*.md"))[0]
    story.write_text(story.read_text("utf-8") + "\n恢复之后补充的一段话。\n", "utf-8")
    restored = out.with_name("restored")
    shutil.copytree(out, restored, copy_function=shutil.copyfile)
    shutil.rmtree(out)
    restored.rename(out)
    report = build(work, out, cache=cache)
    assert report.incremental and report.rendered < report.pages, report
    assert site_differences(out, full_build(work, tmp_path)) == []
    shutil.rmtree(out)
    older.rename(out)  # the site as it was before that build: its marker names the build before
    assert not build(work, out, cache=cache).incremental
