"""Confirmed hierarchy changes written into a copy of the demo app.yaml: each kind, only the change in the
diff, comments and flow lists kept, twice is once, and the result loads."""

from __future__ import annotations

import difflib
import re
from argparse import Namespace
from pathlib import Path

import pytest

from bot.cli import check
from bot.config import load_config_text
from bot.domain.hierarchy import ChangeKind, HierarchyChange
from bot.governance import HierarchyEditError
from bot.governance.app_yaml_edit import apply_changes
from bot.importers import import_pytorch
from tests.governance.conftest import DATA

ADD, EMERITUS, REMOVE, LEAD = (ChangeKind.ADD_MAINTAINER, ChangeKind.TO_EMERITUS, ChangeKind.REMOVE,
                               ChangeKind.NEW_LEAD)
KSHITIJ = HierarchyChange(ADD, "kshitij12345", "nn", decided_in=41, name="Kshitij Kalambarkar", slack="U0KSHITIJ")


def changed(before: str, after: str) -> list[str]:
    """The diff's `-` and `+` lines, without headers or context."""
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "-+" and not line.startswith(("---", "+++"))]


@pytest.fixture
def text(app_yaml: Path) -> str:
    return app_yaml.read_text(encoding="utf-8")


def test_a_new_maintainer_joins_the_flow_list_and_people_and_the_diff_is_only_that(text):
    after, done = apply_changes(text, [KSHITIJ])
    assert done == ["added kshitij12345 to nn's maintainers, and to people (#41)"]
    assert list(difflib.unified_diff(text.splitlines(), after.splitlines(), "a/app.yaml", "b/app.yaml",
                                     lineterm="")) == [
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
        "@@ -93,3 +93,4 @@",
        "   weifengpy: {name: Wei Feng, slack: U0WEIFENG, tz: America/Los_Angeles}",
        "   seemethere: {name: Eli Uriegas, slack: U0ELI, tz: America/Los_Angeles}",
        "   eellison: {name: Elias Ellison, slack: U0ELIAS, tz: America/Los_Angeles}",
        "+  kshitij12345: {name: Kshitij Kalambarkar, slack: U0KSHITIJ}",
    ]


def test_an_emeritus_maintainer_who_returns_leaves_the_emeritus_list(text):
    after, done = apply_changes(text, [HierarchyChange(ADD, "gchanan", "nn")])
    assert done == ["added gchanan to nn's maintainers, no longer emeritus"]
    assert changed(text, after) == [
        "-    maintainers: [mikaylagawarecki, albanD, jbschlosser]",
        "-    emeritus: [gchanan, apaszke]",
        "+    maintainers: [mikaylagawarecki, albanD, jbschlosser, gchanan]",
        "+    emeritus: [apaszke]",
    ]


def test_a_core_maintainer_is_added_to_the_core(text):
    after, done = apply_changes(text, [HierarchyChange(ADD, "seemethere", None, decided_in=7)])
    assert done == ["added seemethere to the core maintainers (#7)"]
    assert changed(text, after) == ["-  maintainers: [soumith, ezyang, gchanan, malfet, albanD, ngimel]",
                                    "+  maintainers: [soumith, ezyang, gchanan, malfet, albanD, ngimel, seemethere]"]


def test_to_emeritus_creates_the_emeritus_list_in_flow_style_next_to_the_maintainers(text):
    after, done = apply_changes(text, [HierarchyChange(EMERITUS, "jbschlosser", "optim", decided_in=42)])
    assert done == ["moved jbschlosser to optim's emeritus (#42)"]
    assert changed(text, after) == ["-    maintainers: [janeyx99, jbschlosser]",
                                    "+    maintainers: [janeyx99]",
                                    "+    emeritus: [jbschlosser]"]


def test_to_emeritus_appends_to_an_existing_emeritus_list(text):
    after, _ = apply_changes(text, [HierarchyChange(EMERITUS, "albanD", "nn")])
    assert changed(text, after) == ["-    maintainers: [mikaylagawarecki, albanD, jbschlosser]",
                                    "-    emeritus: [gchanan, apaszke]",
                                    "+    maintainers: [mikaylagawarecki, jbschlosser]",
                                    "+    emeritus: [gchanan, apaszke, albanD]"]


def test_remove_takes_them_off_the_maintainers_only(text):
    after, done = apply_changes(text, [HierarchyChange(REMOVE, "seemethere", "build-ci", decided_in=43)])
    assert done == ["removed seemethere from build-ci's maintainers (#43)"]
    assert changed(text, after) == ["-    maintainers: [malfet, seemethere]", "+    maintainers: [malfet]"]


def test_a_new_lead_is_set_and_joins_the_core(text):
    change = HierarchyChange(LEAD, "ptrblck", None, decided_in=44, name="Piotr Bialecki", slack="U0PIOTR")
    after, done = apply_changes(text, [change])
    assert done == ["made ptrblck the lead and a core maintainer, and added them to people (#44)"]
    assert changed(text, after) == [
        "-lead: soumith",
        "+lead: ptrblck",
        "-  maintainers: [soumith, ezyang, gchanan, malfet, albanD, ngimel]",
        "+  maintainers: [soumith, ezyang, gchanan, malfet, albanD, ngimel, ptrblck]",
        "+  ptrblck: {name: Piotr Bialecki, slack: U0PIOTR}",
    ]
    assert load_config_text(after).config.lead == "ptrblck"


def test_a_new_lead_from_the_core_changes_only_the_lead(text):
    after, done = apply_changes(text, [HierarchyChange(LEAD, "ezyang", None)])
    assert done == ["made ezyang the lead"]
    assert changed(text, after) == ["-lead: soumith", "+lead: ezyang"]


EVERY_KIND = [KSHITIJ, HierarchyChange(ADD, "gchanan", "nn"), HierarchyChange(EMERITUS, "jbschlosser", "optim"),
              HierarchyChange(REMOVE, "weifengpy", "fsdp"), HierarchyChange(LEAD, "ezyang", None),
              HierarchyChange(EMERITUS, "ngimel", None)]


def test_applying_the_same_changes_twice_changes_nothing(text):
    once, _ = apply_changes(text, EVERY_KIND)
    twice, done = apply_changes(once, EVERY_KIND)
    assert twice == once
    assert all(sentence.startswith("already so: ") for sentence in done), done
    assert done[0] == "already so: kshitij12345 is one of nn's maintainers (#41)"


def test_a_change_already_shown_changes_nothing_and_people_match_in_any_case(text):
    after, done = apply_changes(text, [HierarchyChange(ADD, "alband", "nn"), HierarchyChange(REMOVE, "nobody", "nn"),
                                       HierarchyChange(LEAD, "Soumith", None)])
    assert after == text
    assert done == ["already so: albanD is one of nn's maintainers",
                    "already so: nobody is not one of nn's maintainers",
                    "already so: soumith is the lead"]


def test_comments_order_and_spelling_survive(text):
    after, _ = apply_changes(text, EVERY_KIND)
    comments = [line for line in text.splitlines() if "#" in line and line not in after.splitlines()]
    assert comments == []  # every comment line, inline ones included, is there as it was
    assert "  question:   {ack: 1d, resolve: 7d}" in after.splitlines()  # ruamel alone would respell it
    keys = re.findall(r"^(\w+):", after, re.MULTILINE)
    assert keys == re.findall(r"^(\w+):", text, re.MULTILINE)


def test_the_result_passes_the_config_loader_and_upline_check(text, app_yaml, capsys):
    after, _ = apply_changes(text, EVERY_KIND)
    config = load_config_text(after).config
    assert "kshitij12345" in config.area("nn").maintainers and "gchanan" not in config.area("nn").emeritus
    assert config.area("optim").emeritus == ["jbschlosser"] and config.lead == "ezyang"
    assert config.core.emeritus == ["ngimel"] and "ngimel" not in config.core.maintainers
    app_yaml.write_text(after, encoding="utf-8")
    assert check.run(Namespace(file=str(app_yaml))) == 0
    assert "nn  NN APIs (torch.nn)" in capsys.readouterr().out


def test_an_unknown_area_is_an_error_naming_it(text):
    with pytest.raises(HierarchyEditError, match=r"unknown area 'optimm': app.yaml has no area with that key "
                                                 r"\(did you mean 'optim'\?\)"):
        apply_changes(text, [HierarchyChange(ADD, "janeyx99", "optimm")])


def test_an_area_named_by_an_alias_is_found(text):
    after, done = apply_changes(text, [HierarchyChange(REMOVE, "janeyx99", "torch.optim")])
    assert done == ["removed janeyx99 from optim's maintainers"]
    assert changed(text, after) == ["-    maintainers: [janeyx99, jbschlosser]", "+    maintainers: [jbschlosser]"]


GROUPED = """\
project: X   # the project
lead: a
core:
  maintainers: [a]
areas:
  - key: one
    maintainers:
      - x   # ex
      - y

  # Group two
  - key: two
    maintainers: [p]
people:
  a: {slack: U0A}
  x: {slack: U0X}
  y: {slack: U0Y}
  p: {slack: U0P}
# the end
"""


def test_a_block_list_grows_above_the_comment_that_introduces_the_next_area():
    after, _ = apply_changes(GROUPED, [HierarchyChange(ADD, "w", "one", slack="U0W")])
    assert changed(GROUPED, after) == ["+      - w", "+  w: {slack: U0W}"]
    assert after.splitlines()[8:13] == ["      - y", "      - w", "", "  # Group two", "  - key: two"]


def test_deleting_the_last_item_of_a_block_list_keeps_the_comment_after_it():
    after, _ = apply_changes(GROUPED, [HierarchyChange(REMOVE, "y", "one")])
    assert changed(GROUPED, after) == ["-      - y"]
    after, _ = apply_changes(GROUPED, [HierarchyChange(EMERITUS, "y", "one")])
    assert after.splitlines()[6:13] == ["    maintainers:", "      - x   # ex", "    emeritus:", "      - y", "",
                                        "  # Group two", "  - key: two"]
    area = load_config_text(after).config.area("one")
    assert (area.maintainers, area.emeritus) == (["x"], ["y"])


@pytest.mark.skipif(not (DATA / "persons_of_interest.md").is_file(), reason="real PyTorch data not found")
def test_an_imported_app_yaml_keeps_its_indentation_and_group_comments():
    text = import_pytorch((DATA / "persons_of_interest.md").read_text(encoding="utf-8")).yaml
    changes = [HierarchyChange(EMERITUS, "zpcore", "distributed"),
               HierarchyChange(EMERITUS, "svekars", "docs-tutorials"),
               HierarchyChange(ADD, "kshitij12345", "nn", name="Kshitij Kalambarkar")]
    after, _ = apply_changes(text, changes)
    assert changed(text, after) == [
        "-    maintainers: [mikaylagawarecki, albanD, jbschlosser]",
        "+    maintainers: [mikaylagawarecki, albanD, jbschlosser, kshitij12345]",
        "-    maintainers: [wconstab, H-Huang, fegin, d4l3k, fduwjj, weifengpy, zpcore]",
        "+    maintainers: [wconstab, H-Huang, fegin, d4l3k, fduwjj, weifengpy]",
        "+    - zpcore",  # the file's own indentation for lists, not ruamel's
        "-    maintainers: [svekars, sekyondaMeta]",
        "+    maintainers: [sekyondaMeta]",
        "+    emeritus: [svekars]",  # above the group comment that follows the area
        "+  kshitij12345: {name: Kshitij Kalambarkar}",  # in the sorted people, where a reader looks
    ]
    lines = after.splitlines()
    assert lines[lines.index("    emeritus: [svekars]") + 2] == "  # Core Governed External Module maintainers"
    assert lines[lines.index("  kshitij12345: {name: Kshitij Kalambarkar}") - 1].startswith("  kostmo:")
    load_config_text(after)


def test_the_lead_missing_from_the_core_is_kept_as_lead_and_joins_it():
    text = GROUPED.replace("lead: a", "lead: p")
    after, done = apply_changes(text, [HierarchyChange(LEAD, "p", None)])
    assert done == ["kept p as the lead and a core maintainer"]
    assert changed(text, after) == ["-  maintainers: [a]", "+  maintainers: [a, p]"]
