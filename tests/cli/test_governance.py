"""`upline governance apply` run as the CLI, on SQLite and PostgreSQL, against copies of the real files:
the dry run's diff changes nothing, applying writes and marks applied, twice has nothing to apply, and an
invalid result is refused with nothing written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import load_config_file
from bot.domain.hierarchy import ChangeKind, HierarchyChange
from tests.governance.conftest import app_yaml, persons_of_interest  # noqa: F401  (fixtures)

NOW = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)
KSHITIJ = HierarchyChange(ChangeKind.ADD_MAINTAINER, "kshitij12345", "nn", decided_in=41,
                          name="Kshitij Kalambarkar", slack="U0KSHITIJ")
JOEL = HierarchyChange(ChangeKind.TO_EMERITUS, "jbschlosser", "optim", decided_in=42)


@pytest.fixture
def workspace(tmp_path, monkeypatch, app_yaml, persons_of_interest):  # noqa: F811  (the fixtures above)
    """A checkout's root: app.yaml and persons_of_interest.md, as the diff's `a/` and `b/` paths name them."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("UPLINE_CONFIG", raising=False)
    return tmp_path


def confirm(make_uow, *changes: HierarchyChange) -> list[HierarchyChange]:
    with make_uow() as uow:
        stored = [uow.hierarchy.add(change, NOW - timedelta(days=1)) for change in changes]
        uow.commit()
    return stored


def files(workspace: Path) -> dict[str, str]:
    return {name: (workspace / name).read_text(encoding="utf-8") for name in ("app.yaml", "persons_of_interest.md")}


def apply(upline, database_url, *extra: str):
    return upline("governance", "apply", "--persons-of-interest", "persons_of_interest.md",
                  "--database-url", database_url, *extra, now=NOW)


def test_a_dry_run_prints_the_diff_and_changes_nothing(workspace, make_uow, database_url, upline):
    confirm(make_uow, KSHITIJ, JOEL)
    before = files(workspace)
    ran = apply(upline, database_url, "--dry-run")
    assert ran.code == 0
    assert ran.out.splitlines() == [
        "--- a/app.yaml",
        "+++ b/app.yaml",
        "@@ -23,7 +23,7 @@",
        " areas:",
        "   - key: nn",
        "     name: NN APIs (torch.nn)",
        "-    maintainers: [mikaylagawarecki, albanD, jbschlosser]",
        "+    maintainers: [mikaylagawarecki, albanD, jbschlosser, kshitij12345]",
        "     emeritus: [gchanan, apaszke]",
        "     channel: C0NN",
        "     aliases: [torch.nn]",
        "@@ -33,7 +33,8 @@",
        "       question: {ack: 8h}",
        "   - key: optim",
        "     name: Optimizers (torch.optim)",
        "-    maintainers: [janeyx99, jbschlosser]",
        "+    maintainers: [janeyx99]",
        "+    emeritus: [jbschlosser]",
        "     channel: C0OPTIM",
        "     aliases: [torch.optim]",
        "     keywords: [optimizer, lr scheduler]",
        "@@ -93,3 +94,4 @@",
        "   weifengpy: {name: Wei Feng, slack: U0WEIFENG, tz: America/Los_Angeles}",
        "   seemethere: {name: Eli Uriegas, slack: U0ELI, tz: America/Los_Angeles}",
        "   eellison: {name: Elias Ellison, slack: U0ELIAS, tz: America/Los_Angeles}",
        "+  kshitij12345: {name: Kshitij Kalambarkar, slack: U0KSHITIJ}",
        "--- a/persons_of_interest.md",
        "+++ b/persons_of_interest.md",
        "@@ -37,6 +37,7 @@",
        " - Mikayla Gawarecki ([mikaylagawarecki](https://github.com/mikaylagawarecki))",
        " - Alban Desmaison ([albanD](https://github.com/albanD))",
        " - Joel Schlosser ([jbschlosser](https://github.com/jbschlosser))",
        "+- Kshitij Kalambarkar ([kshitij12345](https://github.com/kshitij12345))",
        " - (emeritus) Greg Chanan ([gchanan](https://github.com/gchanan))",
        " - (emeritus) Soumith Chintala ([soumith](https://github.com/soumith))",
        " - (emeritus) Sam Gross ([colesbury](https://github.com/colesbury))",
        "@@ -46,7 +47,7 @@",
        " ",
        " - Jane Xu ([janeyx99](https://github.com/janeyx99))",
        " - Alban Desmaison ([albanD](https://github.com/albanD))",
        "-- Joel Schlosser ([jbschlosser](https://github.com/jbschlosser))",
        "+- (emeritus) Joel Schlosser ([jbschlosser](https://github.com/jbschlosser))",
        " - (emeritus) Soumith Chintala ([soumith](https://github.com/soumith))",
        " - (emeritus) Ilqar Ramazanli ([iramazanli](https://github.com/iramazanli))",
        " - (emeritus) Vincent Quenneville-Belair ([vincentqb](https://github.com/vincentqb))",
    ]
    assert ran.err.splitlines() == [
        "app.yaml: added kshitij12345 to nn's maintainers, and to people (#41)",
        "app.yaml: moved jbschlosser to optim's emeritus (#42)",
        "persons_of_interest.md: added kshitij12345 to nn's maintainers (#41)",
        "persons_of_interest.md: moved jbschlosser to optim's emeritus (#42)",
        "dry run: 2 changes pending, nothing was written",
    ]
    assert files(workspace) == before
    with make_uow(read_only=True) as uow:
        assert [change.applied_at for change in uow.hierarchy.all()] == [None, None]


def test_apply_writes_the_files_and_marks_the_changes_applied(workspace, make_uow, database_url, upline):
    confirm(make_uow, KSHITIJ, JOEL)
    before = files(workspace)
    ran = apply(upline, database_url)
    assert (ran.code, ran.err) == (0, "")
    assert ran.out.splitlines() == [
        "app.yaml: added kshitij12345 to nn's maintainers, and to people (#41)",
        "app.yaml: moved jbschlosser to optim's emeritus (#42)",
        "persons_of_interest.md: added kshitij12345 to nn's maintainers (#41)",
        "persons_of_interest.md: moved jbschlosser to optim's emeritus (#42)",
        "2 changes applied: review and commit app.yaml and persons_of_interest.md.",
    ]
    after = files(workspace)
    assert after != before
    config = load_config_file(workspace / "app.yaml").config
    assert config.area("nn").maintainers[-1] == "kshitij12345" and config.area("optim").emeritus == ["jbschlosser"]
    assert "- Kshitij Kalambarkar ([kshitij12345](https://github.com/kshitij12345))" in after["persons_of_interest.md"]
    with make_uow(read_only=True) as uow:
        assert uow.hierarchy.pending() == []
        assert [change.applied_at for change in uow.hierarchy.all()] == [NOW, NOW]

    again = apply(upline, database_url)
    assert (again.code, again.out, again.err) == (0, "Nothing to apply.\n", "")
    assert files(workspace) == after


def test_upline_check_accepts_what_apply_wrote(workspace, make_uow, database_url, upline):
    confirm(make_uow, KSHITIJ, JOEL, HierarchyChange(ChangeKind.NEW_LEAD, "ezyang", None))
    assert apply(upline, database_url).code == 0
    checked = upline("check", "app.yaml")
    assert checked.code == 0 and "nn  NN APIs (torch.nn)" in checked.out


def test_a_change_the_files_already_show_is_marked_applied_without_writing(workspace, make_uow, database_url,
                                                                          upline):
    confirm(make_uow, HierarchyChange(ChangeKind.ADD_MAINTAINER, "alband", "nn", decided_in=9))
    before = files(workspace)
    ran = apply(upline, database_url)
    assert ran.code == 0 and ran.out.splitlines()[-1] == "1 change applied: the files already showed them."
    assert "app.yaml: already so: albanD is one of nn's maintainers (#9)" in ran.out
    assert files(workspace) == before
    with make_uow(read_only=True) as uow:
        assert uow.hierarchy.pending() == []


def test_nothing_pending_is_nothing_to_apply(workspace, make_uow, database_url, upline):
    ran = apply(upline, database_url, "--dry-run")
    assert (ran.code, ran.out, ran.err) == (0, "Nothing to apply.\n", "")


def test_an_invalid_result_is_refused_and_nothing_is_written(workspace, make_uow, database_url, upline):
    # a Slack ID already given to someone else: app.yaml would no longer load
    confirm(make_uow, KSHITIJ, HierarchyChange(ChangeKind.ADD_MAINTAINER, "newbie", "optim", slack="U0SOUMITH"))
    before = files(workspace)
    ran = apply(upline, database_url)
    assert ran.code == 1 and ran.out == ""
    assert "error: app.yaml" in ran.err and "Slack ID U0SOUMITH is also given to 'soumith'" in ran.err
    assert ran.err.splitlines()[-1] == "app.yaml: the changes would leave it invalid; nothing was written"
    assert files(workspace) == before
    with make_uow(read_only=True) as uow:
        assert len(uow.hierarchy.pending()) == 2


def test_an_area_persons_of_interest_does_not_have_is_refused_before_either_file_is_written(
        workspace, make_uow, database_url, upline):
    confirm(make_uow, KSHITIJ, HierarchyChange(ChangeKind.ADD_MAINTAINER, "kshitij12345", "fsdp"))
    before = files(workspace)
    ran = apply(upline, database_url)
    assert ran.code == 1
    assert ran.err == ("error: persons_of_interest.md has no module heading for area 'fsdp' "
                       "(FSDP (torch.distributed.fsdp)); nothing was written\n")
    assert files(workspace) == before


def test_the_config_defaults_to_upline_config_and_persons_of_interest_is_optional(
        workspace, make_uow, database_url, upline, monkeypatch):
    (workspace / "app.yaml").rename(workspace / "hierarchy.yaml")
    monkeypatch.setenv("UPLINE_CONFIG", "hierarchy.yaml")
    confirm(make_uow, JOEL)
    ran = upline("governance", "apply", "--dry-run", "--database-url", database_url, now=NOW)
    assert ran.code == 0 and ran.out.startswith("--- a/hierarchy.yaml\n+++ b/hierarchy.yaml\n")
    assert "persons_of_interest.md" not in ran.out + ran.err


def test_a_missing_file_is_one_line_and_exit_1(workspace, make_uow, database_url, upline):
    confirm(make_uow, JOEL)
    ran = upline("governance", "apply", "--config", "nowhere.yaml", "--database-url", database_url, now=NOW)
    assert (ran.code, ran.err) == (1, "error: cannot read nowhere.yaml: No such file or directory\n")
