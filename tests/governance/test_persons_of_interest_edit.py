"""Confirmed hierarchy changes written into a copy of PyTorch's real persons_of_interest.md, in its own
format: each kind, only the change in the diff, twice is once, and the importer reads the change back."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from bot.config import load_config_file
from bot.domain.hierarchy import ChangeKind, HierarchyChange
from bot.governance import HierarchyEditError
from bot.governance.persons_of_interest_edit import apply_changes
from bot.importers.pytorch import parse_persons_of_interest

ADD, EMERITUS, REMOVE, LEAD = (ChangeKind.ADD_MAINTAINER, ChangeKind.TO_EMERITUS, ChangeKind.REMOVE,
                               ChangeKind.NEW_LEAD)
KSHITIJ = HierarchyChange(ADD, "kshitij12345", "nn", decided_in=41, name="Kshitij Kalambarkar")


def changed(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "-+" and not line.startswith(("---", "+++"))]


@pytest.fixture
def text(persons_of_interest: Path) -> str:
    return persons_of_interest.read_text(encoding="utf-8")


@pytest.fixture
def config(app_yaml: Path):
    return load_config_file(app_yaml).config


def module(text: str, name: str):
    return next(module for module in parse_persons_of_interest(text).modules if module.name == name)


def test_a_new_maintainer_gets_a_line_after_the_last_active_one_and_the_diff_is_only_that(text, config):
    after, done = apply_changes(text, [KSHITIJ], config)
    assert done == ["added kshitij12345 to nn's maintainers (#41)"]
    assert list(difflib.unified_diff(text.splitlines(), after.splitlines(), "a/persons_of_interest.md",
                                     "b/persons_of_interest.md", lineterm="")) == [
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
    ]


def test_a_module_with_emeritus_lines_among_active_ones_gets_the_line_after_the_last_active(text, config):
    after, _ = apply_changes(text, [HierarchyChange(ADD, "newbie", "distributed", name="New Bie")], config)
    lines = after.splitlines()
    assert lines[lines.index("- New Bie ([newbie](https://github.com/newbie))") - 1] == \
        "- Pei Zhang ([zpcore](https://github.com/zpcore))"
    assert changed(text, after) == ["+- New Bie ([newbie](https://github.com/newbie))"]


def test_an_emeritus_maintainer_who_returns_loses_the_emeritus_line_and_is_named_as_app_yaml_names_them(text, config):
    after, done = apply_changes(text, [HierarchyChange(ADD, "gchanan", "nn")], config)
    assert done == ["added gchanan to nn's maintainers, no longer emeritus"]
    assert changed(text, after) == ["-- (emeritus) Greg Chanan ([gchanan](https://github.com/gchanan))",
                                    "+- Greg Chanan ([gchanan](https://github.com/gchanan))"]


def test_to_emeritus_prefixes_the_line_in_place(text, config):
    after, done = apply_changes(text, [HierarchyChange(EMERITUS, "jbschlosser", "optim", decided_in=42)], config)
    assert done == ["moved jbschlosser to optim's emeritus (#42)"]
    assert changed(text, after) == ["-- Joel Schlosser ([jbschlosser](https://github.com/jbschlosser))",
                                    "+- (emeritus) Joel Schlosser ([jbschlosser](https://github.com/jbschlosser))"]
    assert [entry.handle for entry in module(after, "Optimizers (torch.optim)").active] == ["janeyx99", "albanD"]
    assert module(text, "NN APIs (torch.nn)") == module(after, "NN APIs (torch.nn)")  # nn's jbschlosser stays


def test_remove_deletes_the_line(text, config):
    after, done = apply_changes(text, [HierarchyChange(REMOVE, "fegin", "distributed", decided_in=43)], config)
    assert done == ["removed fegin from distributed's maintainers (#43)"]
    assert changed(text, after) == ["-- Chien-Chin Huang ([fegin](https://github.com/fegin))"]


def test_the_core_is_the_core_maintainers_section(text, config):
    after, done = apply_changes(text, [HierarchyChange(EMERITUS, "Chillee", None),
                                       HierarchyChange(ADD, "seemethere", None)], config)
    assert done == ["moved Chillee to the core's emeritus", "added seemethere to the core maintainers"]
    assert changed(text, after) == ["-- Horace He ([Chillee](https://github.com/Chillee))",
                                    "+- (emeritus) Horace He ([Chillee](https://github.com/Chillee))",
                                    "+- Eli Uriegas ([seemethere](https://github.com/seemethere))"]
    core = parse_persons_of_interest(after).core
    assert [entry.handle for entry in core][-3:] == ["jspisak", "seemethere", "dzhulgakov"]


def test_a_new_lead_edits_the_lead_section_and_joins_the_core(text, config):
    after, done = apply_changes(text, [HierarchyChange(LEAD, "jansel", None, decided_in=44)], config)
    assert done == ["made jansel the lead and a core maintainer (#44)"]
    jansel = "- Jason Ansel ([jansel](https://github.com/jansel))"  # named as the file's other lines name him
    assert changed(text, after) == ["-- Soumith Chintala ([soumith](https://github.com/soumith))",
                                    f"+{jansel}", f"+{jansel}"]
    governance = parse_persons_of_interest(after)
    assert governance.lead.handle == "jansel" and "jansel" in [entry.handle for entry in governance.core_active]


EVERY_KIND = [KSHITIJ, HierarchyChange(ADD, "gchanan", "nn"), HierarchyChange(EMERITUS, "jbschlosser", "optim"),
              HierarchyChange(REMOVE, "fegin", "distributed"), HierarchyChange(LEAD, "ezyang", None),
              HierarchyChange(EMERITUS, "Chillee", None)]


def test_applying_the_same_changes_twice_changes_nothing(text, config):
    once, _ = apply_changes(text, EVERY_KIND, config)
    twice, done = apply_changes(once, EVERY_KIND, config)
    assert twice == once
    assert all(sentence.startswith("already so: ") for sentence in done), done


def test_every_other_line_stays_and_the_importer_reads_exactly_the_changes(text, config):
    after, _ = apply_changes(text, EVERY_KIND, config)
    assert len(changed(text, after)) == 10  # 4 lines replaced (6 for 3, gchanan's 2), 1 added, 1 deleted
    before, now = parse_persons_of_interest(text), parse_persons_of_interest(after)
    assert now.lead.handle == "ezyang" and now.notes == before.notes
    assert [entry.handle for entry in module(after, "NN APIs (torch.nn)").active] == [
        "mikaylagawarecki", "albanD", "jbschlosser", "kshitij12345", "gchanan"]
    untouched = {"NN APIs (torch.nn)", "Optimizers (torch.optim)", "Distributed"}
    assert [m for m in before.modules if m.name not in untouched] == [m for m in now.modules if m.name not in untouched]


def test_an_area_is_found_by_its_name_or_by_the_key_the_importer_gives_its_heading(text, config):
    # app.yaml calls it "Distributed (torch.distributed)"; the heading is "Distributed", imported as `distributed`
    assert config.area("distributed").name != "Distributed"
    after, _ = apply_changes(text, [HierarchyChange(REMOVE, "fegin", "distributed")], config)
    assert changed(text, after) == ["-- Chien-Chin Huang ([fegin](https://github.com/fegin))"]
    # without app.yaml, by the importer's keys alone ("AOT Inductor (AOTI) & AOTI Runtime" is `aoti`)
    after, _ = apply_changes(text, [HierarchyChange(REMOVE, "desertfire", "aoti")])
    assert changed(text, after) == ["-- Bin Bao ([desertfire](https://github.com/desertfire))"]


def test_an_area_without_a_heading_is_an_error_naming_it(text, config):
    with pytest.raises(HierarchyEditError,
                       match=r"no module heading for area 'fsdp' \(FSDP \(torch.distributed.fsdp\)\)"):
        apply_changes(text, [HierarchyChange(ADD, "weifengpy", "fsdp")], config)


def test_the_older_rst_is_refused():
    with pytest.raises(HierarchyEditError, match="only the Markdown"):
        apply_changes("Core Maintainers\n================\n\n-  A (`a <https://github.com/a>`__)\n", [KSHITIJ])


def test_the_lead_missing_from_the_core_is_kept_as_lead_and_joins_it(text, config):
    text = text.replace("- Soumith Chintala ([soumith](https://github.com/soumith))\n\n## Core",
                        "- Jason Ansel ([jansel](https://github.com/jansel))\n\n## Core")
    after, done = apply_changes(text, [HierarchyChange(LEAD, "jansel", None)], config)
    assert done == ["kept jansel as the lead and a core maintainer"]
    assert changed(text, after) == ["+- Jason Ansel ([jansel](https://github.com/jansel))"]
