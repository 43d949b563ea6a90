"""The sample trees shipped in the repo are valid, with and without the private examples."""

from __future__ import annotations

from generator.cli import main
from generator.validate.run import validate_public
from generator.validate.trees import validate_trees
from tests.conftest import REPO


def test_sample_records_validate():
    validation = validate_public(REPO / "records")
    # ma-lijuan's story has a pasted <script> on purpose (the site shows it as text): warned of, nothing else
    assert [(d.path.endswith("workers/ma-lijuan.yml"), d.severity) for d in validation.diagnostics] == [(True, "warning")] * 2
    assert len(validation.public.tree.workers) >= 30 and len(validation.public.tree.homes) >= 8
    assert len(validation.public.tree.stories) >= 3


def test_sample_records_validate_with_private_examples():
    validation = validate_trees(REPO / "records", REPO / "examples" / "private")
    assert [d for d in validation.diagnostics if d.severity == "error"] == []
    assert validation.private is not None and validation.private.tree.workers


def test_private_examples_stay_out_of_public_records():
    assert not (REPO / "records" / "private").exists()
    assert (REPO / "examples" / "private" / "README.md").read_text(encoding="utf-8").count("虚构") >= 1


def test_validate_command_on_samples(capsys):
    assert main(["validate", "--records", str(REPO / "records"), "--private", str(REPO / "examples" / "private")]) == 0
