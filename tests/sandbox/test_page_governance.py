"""The Governance panel's backend over real HTTP: `/sandbox/governance` is `upline governance apply
--dry-run` on the sandbox's app.yaml and database — the diff of the confirmed changes, and nothing written."""

from __future__ import annotations

import shutil

import httpx
import pytest

from bot.config import load_config_file
from bot.domain.hierarchy import ChangeKind, HierarchyChange
from bot.sandbox.run import Sandbox
from tests.sandbox.test_page_api import REPO, PageClient, start_sandbox


@pytest.fixture
def sandbox(tmp_path):
    running = start_sandbox(tmp_path)
    yield running
    running.stop()


@pytest.fixture
def page(sandbox):
    with httpx.Client(timeout=15) as http:
        yield PageClient(sandbox, http)


def confirm(sandbox: Sandbox, *changes: HierarchyChange) -> None:
    """What a published confirmation stores (DecisionService's hook), straight into the database."""
    with sandbox.upline.unit_of_work() as uow:
        for change in changes:
            uow.hierarchy.add(change, sandbox.clock.now())
        uow.commit()


def pending(sandbox: Sandbox) -> list[HierarchyChange]:
    with sandbox.upline.unit_of_work(read_only=True) as uow:
        return uow.hierarchy.pending()


def test_with_nothing_confirmed_there_is_nothing_to_apply(page):
    assert page.get("/sandbox/governance", None) == {"file": "app.yaml", "pending": 0, "diff": "", "done": [],
                                                     "problems": ""}


def test_a_confirmed_nomination_is_the_diff_governance_apply_would_write_and_nothing_is_written(page, sandbox):
    before = (REPO / "app.yaml").read_text()
    confirm(sandbox, HierarchyChange(ChangeKind.ADD_MAINTAINER, "janeyx99", "nn", decided_in=2, slack="U0JANE"))

    answer = page.get("/sandbox/governance", None)

    assert answer["pending"] == 1 and answer["problems"] == ""
    assert answer["done"] == ["added janeyx99 to nn's maintainers (#2)"]
    lines = answer["diff"].splitlines()
    assert lines[:2] == ["--- a/app.yaml", "+++ b/app.yaml"]
    assert "-    maintainers: [mikaylagawarecki, albanD, jbschlosser]" in lines
    assert "+    maintainers: [mikaylagawarecki, albanD, jbschlosser, janeyx99]" in lines
    assert (REPO / "app.yaml").read_text() == before  # a dry run: the file,
    assert len(pending(sandbox)) == 1  # and the database, as they were


def test_a_change_the_file_already_shows_is_pending_with_no_diff(page, sandbox):
    confirm(sandbox, HierarchyChange(ChangeKind.ADD_MAINTAINER, "albanD", "nn", decided_in=3))
    answer = page.get("/sandbox/governance", None)
    assert (answer["pending"], answer["diff"]) == (1, "")
    assert answer["done"] == ["already so: albanD is one of nn's maintainers (#3)"]


def test_what_the_cli_would_refuse_is_told_instead_of_a_diff(page, sandbox):
    confirm(sandbox, HierarchyChange(ChangeKind.ADD_MAINTAINER, "janeyx99", "sparse", decided_in=4))
    answer = page.get("/sandbox/governance", None)
    assert (answer["pending"], answer["diff"]) == (1, "")
    assert "sparse" in answer["problems"] and "nothing was written" in answer["problems"]


def test_a_sandbox_started_without_its_file_says_so(tmp_path):
    config = load_config_file(REPO / "app.yaml").config
    with Sandbox(config, f"sqlite:///{tmp_path / 'sandbox.db'}", port=0) as running, httpx.Client() as http:
        answer = http.get(f"{running.url}/sandbox/governance").json()
    assert answer["diff"] == "" and "without an app.yaml" in answer["problems"]


def test_the_file_outside_the_working_directory_is_named_by_its_path(tmp_path):
    copy = tmp_path / "elsewhere" / "app.yaml"
    copy.parent.mkdir()
    shutil.copy(REPO / "app.yaml", copy)
    config = load_config_file(copy).config
    with Sandbox(config, f"sqlite:///{tmp_path / 'sandbox.db'}", port=0, config_path=copy) as running, \
            httpx.Client() as http:
        confirm(running, HierarchyChange(ChangeKind.REMOVE, "jbschlosser", "nn", decided_in=5))
        answer = http.get(f"{running.url}/sandbox/governance").json()
    assert answer["file"] == str(copy)  # the tests' tmp dir is not under the repository they run in
    assert "-    maintainers: [mikaylagawarecki, albanD, jbschlosser]" in answer["diff"].splitlines()
    assert "+    maintainers: [mikaylagawarecki, albanD]" in answer["diff"].splitlines()
