"""The synthetic tree generator: deterministic, and every file it writes is a valid record."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from PIL import Image

from generator.model.private import PrivateHome, PrivateWorker, Unit
from generator.model.public import Home, StoryMeta, VocabEntry, Worker
from generator.synth import main, synth

WORKERS, HOMES = 50, 10


def id_number_ok(number: str) -> bool:
    """GB 11643 check digit (computed here so the test does not trust the code it checks)."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return bool(re.match(r"^\d{17}[\dX]$", number)) and \
        "10X98765432"[sum(int(c) * w for c, w in zip(number, weights)) % 11] == number[17]


def birth_date_in(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("synth")
    synth(base / "public", WORKERS, HOMES, base / "private", seed=7)
    return base / "public", base / "private"


def test_deterministic(tree, tmp_path):
    public, private = tree
    synth(tmp_path / "public", WORKERS, HOMES, tmp_path / "private", seed=7)
    assert files(tmp_path / "public") == files(public)
    assert files(tmp_path / "private") == files(private)
    # running again over its own output gives the same bytes too
    synth(tmp_path / "public", WORKERS, HOMES, tmp_path / "private", seed=7)
    assert files(tmp_path / "public") == files(public)


def test_other_seed_differs(tree, tmp_path):
    public, _ = tree
    synth(tmp_path / "public", WORKERS, HOMES, None, seed=8)
    assert files(tmp_path / "public") != files(public)
    assert not (tmp_path / "private").exists()


def test_public_records_validate(tree):
    public, _ = tree
    vocab = {e["title"]: VocabEntry.model_validate(e) for e in yaml.safe_load((public / "vocab" / "honours.yml").read_text("utf-8"))}
    workers = sorted((public / "workers").glob("*.yml"))
    homes = sorted((public / "homes").glob("*.yml"))
    assert len(workers) == WORKERS and len(homes) == HOMES
    ids: set[str] = set()
    for path in workers:
        worker = Worker.model_validate(yaml.safe_load(path.read_text("utf-8")))
        assert worker.id == path.stem and worker.id not in ids
        ids.add(worker.id)
        for honour in worker.honours:
            assert vocab[honour.title].recipient == "individual"
            assert 1950 <= honour.year <= 2026 and honour.year >= worker.birth_year + 16
        if worker.photo:
            with Image.open(public / "photos" / worker.photo.file) as image:
                assert image.format == "JPEG" and min(image.size) >= 160
    for path in homes:
        home = Home.model_validate(yaml.safe_load(path.read_text("utf-8")))
        assert home.id == path.stem and home.id not in ids
        ids.add(home.id)
        assert all(vocab[h.title].recipient == "collective" for h in home.honours)
    for path in homes:
        parent = yaml.safe_load(path.read_text("utf-8")).get("parent")
        assert parent is None or parent in ids
    stories = sorted((public / "stories").glob("*.md"))
    assert stories
    for path in stories:
        match = re.match(r"^---\n(.*?)\n---\n", path.read_text("utf-8"), re.S)
        assert match, path
        meta = StoryMeta.model_validate(yaml.safe_load(match.group(1)))
        assert set(meta.about) <= ids


def test_private_records_validate(tree):
    public, private = tree
    public_workers = {p.stem: yaml.safe_load(p.read_text("utf-8")) for p in (public / "workers").glob("*.yml")}
    public_homes = {p.stem for p in (public / "homes").glob("*.yml")}
    units = {u["id"]: Unit.model_validate(u) for u in yaml.safe_load((private / "units.yml").read_text("utf-8"))}
    assert units
    paths = sorted((private / "workers").glob("*.yml"))
    assert paths
    for path in paths:
        record = PrivateWorker.model_validate(yaml.safe_load(path.read_text("utf-8")))
        assert record.id == path.stem and record.id in public_workers
        birth_year = public_workers[record.id]["birth_year"]
        if record.id_number is not None:
            assert id_number_ok(record.id_number)
            assert birth_date_in(record.id_number).year == birth_year
            if record.birth_date:
                assert birth_date_in(record.id_number) == record.birth_date
        if record.birth_date:
            assert record.birth_date.year == birth_year
        if record.phone:
            assert re.match(r"^(1[3-9]\d{9}|0\d{2,3}-\d{7,8})$", record.phone)
        assert record.management_unit is None or record.management_unit in units
    for path in sorted((private / "homes").glob("*.yml")):
        record = PrivateHome.model_validate(yaml.safe_load(path.read_text("utf-8")))
        assert record.id == path.stem and record.id in public_homes
        if record.recommendation and record.recommendation.recommended_by:
            assert record.recommendation.recommended_by in units


def test_refuses_foreign_directory(tmp_path):
    (tmp_path / "mine.txt").write_text("not made by synth")
    with pytest.raises(ValueError):
        synth(tmp_path, 3, 1, None)
    assert (tmp_path / "mine.txt").exists()


def test_cli(tmp_path, capsys):
    assert main(["--workers", "5", "--homes", "2", "--out", str(tmp_path / "pub"), "--seed", "3"]) == 0
    assert len(list((tmp_path / "pub" / "workers").glob("*.yml"))) == 5
    assert "5" in capsys.readouterr().out
