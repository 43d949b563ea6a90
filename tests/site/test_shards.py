"""A site built in four shards and joined (`laomo build --shard K/4`, `laomo join`) is the site one machine
builds, byte for byte: the same pages, the same search index, so the same search results (docs/scale.md).

The base search index is split into eight parts here, so that every shard indexes parts of its own.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.site import atomic
from generator.site import search as search_module
from generator.site.shards import SHARD_FILE, Shard
from site_checks.check import check_site
from tests.site.conftest import RECORDS, build
from tests.site.test_incremental import differences

pytestmark = pytest.mark.slow

BASE_PARTS = 8  # the sample's ~50 indexed pages in 8 parts, two to each shard


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    """The sample built whole, and in four shards, with the same cache folder."""
    root = tmp_path_factory.mktemp("shards")
    patch = pytest.MonkeyPatch()
    patch.setattr(search_module, "BASE_PARTS", BASE_PARTS)
    patch.setattr(search_module, "SPLIT_BASE_AT", 1)
    try:
        whole = root / "whole"
        reports = {"whole": build(RECORDS, whole)}
        shards = []
        for k in range(4):
            shards.append(root / f"shard{k + 1}")
            reports[k] = _build_shard(RECORDS, shards[-1], Shard(k, 4))
    finally:
        patch.undo()
    return {"root": root, "whole": whole, "shards": shards, "reports": reports}


def _build_shard(records: Path, out: Path, shard: Shard):
    from generator.site.build import build_site

    return build_site(records, out, jobs=2, echo=lambda line: None, shard=shard)


def test_four_shards_joined_are_the_single_machine_build(built, capsys):
    joined = built["root"] / "joined"
    assert main(["join", *map(str, built["shards"]), "--out", str(joined)]) == 0
    assert "已合并 4 个分片" in capsys.readouterr().out
    assert differences(built["whole"], joined) == []
    # a joined site names no build: it has no state for an incremental build to continue from
    assert atomic.read_token(built["whole"]) and not atomic.read_token(joined)
    assert check_site(joined).problems == []


def test_each_shard_does_a_share_of_the_work(built):
    reports, whole = built["reports"], built["reports"]["whole"]
    rendered = [reports[k].rendered for k in range(4)]
    assert all(0 < n < whole.rendered for n in rendered) and sum(rendered) == whole.rendered
    assert whole.search_parts >= 4
    parts = [{str(p.parent.relative_to(folder)) for p in folder.glob("pagefind*/**/pagefind-entry.json")}
             for folder in built["shards"]]
    assert all(parts) and not set.intersection(*parts)  # every shard indexed parts of its own, none twice
    assert all((folder / SHARD_FILE).is_file() for folder in built["shards"])


def test_join_refuses_a_missing_shard_and_leaves_the_site(built, capsys):
    site = built["root"] / "site-missing"
    shutil.copytree(built["whole"], site)
    assert main(["join", *map(str, built["shards"][:3]), "--out", str(site)]) == 1
    err = capsys.readouterr().err
    assert "分片不全" in err and "缺少第 4 片" in err and "保持原样" in err
    assert differences(built["whole"], site) == []
    assert main(["join", *map(str, built["shards"][:3]), str(built["shards"][0]), "--out", str(site)]) == 1
    assert "第 1 片给了不止一次" in capsys.readouterr().err


def test_join_refuses_shards_of_other_records(built, tmp_path, capsys):
    records = tmp_path / "records"
    shutil.copytree(RECORDS, records)
    story = sorted((records / "stories").glob("*.md"))[0]
    story.write_text(story.read_text("utf-8") + "\n又一段。\n", "utf-8")
    patch = pytest.MonkeyPatch()
    patch.setattr(search_module, "BASE_PARTS", BASE_PARTS)
    patch.setattr(search_module, "SPLIT_BASE_AT", 1)
    try:
        other = _build_shard(records, tmp_path / "other4", Shard(3, 4)).out
    finally:
        patch.undo()
    site = tmp_path / "site"
    assert main(["join", *map(str, built["shards"][:3]), str(other), "--out", str(site)]) == 1
    assert "不是同一次构建" in capsys.readouterr().err
    assert not site.exists()
    assert main(["join", str(built["whole"]), "--out", str(site)]) == 1
    assert "不是 laomo build --shard 生成的分片" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["0/4", "5/4", "2", "a/b"])
def test_a_wrong_shard_is_a_usage_error_in_chinese(value, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--shard", value])
    assert exit_.value.code == 2
    assert "分片应写成 K/N" in capsys.readouterr().err
