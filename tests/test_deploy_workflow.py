"""The deploy workflow and what the pull-request workflow may touch: parsed as GitHub would, structure checked.

What must hold: only main publishes; two merges never race; a failed build publishes nothing; the build state
main restores can only have been saved by main (a pull request's runs cannot write it); every step CI runs is a
make target or a laomo command that exists.
"""

from __future__ import annotations

import re
import shlex
from typing import Any

import yaml

from generator.cli import COMMANDS
from tests.conftest import REPO
from tests.editing.test_workflow import commands, makefile_targets

WORKFLOWS = REPO / ".github" / "workflows"


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data


def uses(step: dict[str, Any]) -> str:
    return str(step.get("uses", "")).split("@")[0]


def step_using(job: dict[str, Any], action: str) -> dict[str, Any]:
    return next(step for step in job["steps"] if uses(step) == action)


def index_of(job: dict[str, Any], predicate: Any) -> int:
    return next(i for i, step in enumerate(job["steps"]) if predicate(step))


def test_deploy_runs_on_push_to_main_and_by_hand_only() -> None:
    data = load("deploy.yml")
    assert set(data["on"]) == {"push", "workflow_dispatch"}
    assert data["on"]["push"] == {"branches": ["main"]}
    # workflow_dispatch can be started on any branch: the build refuses all but main
    assert data["jobs"]["build"]["if"].replace(" ", "") == "github.ref=='refs/heads/main'"


def test_deploy_permissions_concurrency_and_order() -> None:
    data = load("deploy.yml")
    assert data["permissions"] == {"contents": "read"}
    assert data["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
    assert "permissions" not in build  # the job running the build holds a read-only token
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] in ("build", ["build"])  # a failed build never reaches the deployment
    assert "if" not in deploy  # no always()/failure() that would publish after a failed build
    assert deploy["environment"]["name"] == "github-pages"
    assert [uses(step) for step in deploy["steps"]] == ["actions/deploy-pages"]
    runs = [str(step.get("run", "")).strip() for step in build["steps"]]
    order = [index_of(build, lambda s: uses(s) == "actions/checkout"),
             runs.index("make setup"),
             index_of(build, lambda s: uses(s) == "actions/cache"),
             runs.index("make deploy-build LAOMO_FORMAT=github"),
             runs.index("make deploy-check"),
             index_of(build, lambda s: uses(s) == "actions/upload-pages-artifact")]
    assert order == sorted(order)
    for step in build["steps"]:
        assert "continue-on-error" not in step and "if" not in step, step  # every failure stops the publication
    assert step_using(build, "actions/upload-pages-artifact")["with"]["path"].rstrip("/") == "site"
    for job in data["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.search(r"@v\d+$", step["uses"]), f"pin a major version: {step['uses']}"


def test_state_cache_is_main_only_and_where_the_build_looks() -> None:
    build = load("deploy.yml")["jobs"]["build"]
    cache = step_using(build, "actions/cache")["with"]
    prefix = "laomo-state-${{ runner.os }}-refs/heads/main-"
    assert cache["key"] == prefix + "${{ github.run_id }}"  # a new entry per run, saved only if the job succeeds
    assert [line.strip() for line in cache["restore-keys"].splitlines() if line.strip()] == [prefix]
    paths = [line.strip() for line in cache["path"].splitlines() if line.strip()]
    for step in build["steps"]:
        if str(step.get("run", "")).startswith("make deploy-"):
            # the build's cache folder is ${XDG_CACHE_HOME}/laomo: exactly the folder restored and saved
            assert paths[0] == step["env"]["XDG_CACHE_HOME"] + "/laomo"
    assert paths[0].startswith("${{ runner.temp }}/")  # outside the checkout, the same on every run
    # and the site the state describes, where make deploy-build writes it: without it every build is full
    assert paths[1:] == [step_using(build, "actions/upload-pages-artifact")["with"]["path"].rstrip("/")]


def test_pull_requests_never_save_state_or_run_with_the_base_token() -> None:
    data = load("records.yml")
    # pull_request_target would run in the base branch's scope, where its caches are visible to main
    assert set(data["on"]) == {"pull_request"}
    assert data["permissions"] == {"contents": "read"}
    for job in data["jobs"].values():
        for step in job["steps"]:
            assert uses(step) not in {"actions/cache", "actions/cache/save"}, step


def test_pull_request_gets_the_data_summary() -> None:
    jobs = load("records.yml")["jobs"]
    summary = next(step for step in jobs["records"]["steps"] if "laomo changes" in str(step.get("run", "")))
    argv = shlex.split(summary["run"])
    assert argv[1] == "changes" and argv[2] == "$BASE"
    assert summary["env"]["BASE"] == "${{ github.event.pull_request.base.sha }}"
    assert "$GITHUB_STEP_SUMMARY" in argv and "data-changes.md" in argv
    comment = jobs["changes-comment"]
    assert comment["permissions"] == {"pull-requests": "write"}  # nothing else, and only in this job
    assert comment["needs"] in ("records", ["records"])
    # the token of a fork's pull request is read-only: the comment job is skipped, the summary page stays
    assert "github.event.pull_request.head.repo.full_name == github.repository" in comment["if"]
    assert all("run" not in step for step in comment["steps"])  # it runs none of the pull request's code
    assert [uses(step) for step in comment["steps"]] == ["actions/download-artifact", "actions/github-script"]


def test_every_run_is_a_make_target_or_laomo_command() -> None:
    targets = makefile_targets()
    for name in ("deploy.yml", "records.yml"):
        for job in load(name)["jobs"].values():
            for step in job["steps"]:
                for argv in commands(str(step.get("run", ""))):
                    if name == "deploy.yml":
                        assert argv[0] == "make", f"deploy.yml runs only make targets: {argv}"
                    if argv[0] == "make":
                        for target in (a for a in argv[1:] if not a.startswith("-") and "=" not in a):
                            assert target in targets, f"Makefile has no target “{target}”"
                    else:
                        assert argv[0].endswith("/laomo") or argv[0].endswith("lint-imports"), argv
                        if argv[0].endswith("laomo"):
                            assert argv[1] in COMMANDS, f"laomo has no command “{argv[1]}”"


def test_deploy_targets_run_existing_laomo_commands() -> None:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in ("deploy-build", "deploy-check"):
        recipe = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", text, re.MULTILINE)
        assert recipe, target
        for line in recipe.group(1).splitlines():
            argv = line.split()
            assert argv[0] == "$(BIN)/laomo" and argv[1] in COMMANDS, line
