"""The pull-request workflow and the pre-commit hook: valid YAML, and every command they run exists."""

from __future__ import annotations

import re
import shlex

import yaml

from generator.cli import COMMANDS
from tests.conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "records.yml"
PRE_COMMIT = REPO / ".pre-commit-config.yaml"


def makefile_targets() -> set[str]:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    return {name for line in text.splitlines()
            for name in re.findall(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", line)}


def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data


def steps() -> list[dict]:
    return [step for job in workflow()["jobs"].values() for step in job["steps"]]


def commands(script: str) -> list[list[str]]:
    return [shlex.split(line) for line in script.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_workflow_is_valid_and_runs_on_pull_requests():
    data = workflow()
    assert "pull_request" in data["on"]
    assert data["jobs"], "no jobs"
    for name, job in data["jobs"].items():
        assert job["runs-on"], name
        assert isinstance(job["steps"], list) and job["steps"]
        for step in job["steps"]:
            assert isinstance(step, dict) and ("uses" in step) != ("run" in step), step


def test_workflow_steps_are_in_order():
    used = [step.get("uses", "").split("@")[0] for step in steps()]
    runs = [step.get("run", "").strip() for step in steps()]
    assert used[0] == "actions/checkout"
    setup_python = next(step for step in steps() if step.get("uses", "").startswith("actions/setup-python"))
    assert str(setup_python["with"]["python-version"]) == "3.11"
    order = ["make setup", ".venv/bin/laomo validate --format github", "make site", ".venv/bin/laomo check site"]
    positions = [runs.index(command) for command in order]
    assert positions == sorted(positions)
    upload = next(step for step in steps() if step.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"].rstrip("/") == "site"
    assert steps().index(upload) > positions[-1]
    for step in steps():
        if "uses" in step:
            assert re.search(r"@v\d+$", step["uses"]), f"pin a major version: {step['uses']}"


def test_every_make_target_and_laomo_command_exists():
    targets = makefile_targets()
    for step in steps():
        for argv in commands(step.get("run", "")):
            if argv[0] == "make":
                for target in (a for a in argv[1:] if not a.startswith("-") and "=" not in a):
                    assert target in targets, f"Makefile has no target “{target}”"
            if argv[0].endswith("laomo"):
                assert argv[1] in COMMANDS, f"laomo has no command “{argv[1]}”"


def test_pre_commit_hooks_run_laomo_on_records():
    config = yaml.safe_load(PRE_COMMIT.read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] if repo["repo"] == "local" for hook in repo["hooks"]]
    validate = next(hook for hook in hooks if hook["id"] == "laomo-validate")
    assert validate["language"] == "system" and validate["files"] == "^records/" and validate["pass_filenames"] is False
    assert re.search(validate["files"], "records/workers/zhang-jianguo.yml")
    assert not re.search(validate["files"], "generator/cli.py")
    for hook in hooks:
        argv = shlex.split(hook["entry"])
        assert argv[0].endswith("laomo") and argv[1] in COMMANDS, hook
        assert hook["name"] and hook["language"] == "system"


def test_hook_wrapper_finds_laomo_without_a_hard_coded_venv(tmp_path):
    """scripts/laomo runs .venv/bin/laomo when there is one, else laomo on PATH, else says what to do."""
    import os
    import subprocess

    wrapper = REPO / "scripts" / "laomo"
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "laomo").write_text("#!/bin/sh\necho path-laomo \"$@\"\n", encoding="utf-8")
    (fake / "laomo").chmod(0o755)
    env = {**os.environ, "PATH": f"{fake}:/usr/bin:/bin"}
    run = subprocess.run([str(wrapper), "validate"], cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert run.stdout.strip() == "path-laomo validate"
    env["PATH"] = "/usr/bin:/bin"
    run = subprocess.run([str(wrapper), "validate"], cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 1 and "make setup" in run.stderr
    venv = tmp_path / ".venv" / "bin"
    venv.mkdir(parents=True)
    (venv / "laomo").write_text("#!/bin/sh\necho venv-laomo \"$@\"\n", encoding="utf-8")
    (venv / "laomo").chmod(0o755)
    run = subprocess.run([str(wrapper), "schema"], cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert run.stdout.strip() == "venv-laomo schema"
