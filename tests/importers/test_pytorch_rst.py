"""`upline import pytorch persons_of_interest.rst`: the older reStructuredText list imports too."""

from pathlib import Path

import pytest

from bot.config import load_config_text
from bot.importers import import_pytorch
from bot.importers.pytorch import Entry, detect_format, parse_entry, parse_persons_of_interest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def small_rst() -> str:
    return (FIXTURES / "small.rst").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def loaded(small_rst):
    return load_config_text(import_pytorch(small_rst).yaml)


def test_rst_is_detected(small_rst):
    assert detect_format(small_rst) == "rst"


def test_rst_fixture_counts(small_rst):
    result = import_pytorch(small_rst)
    assert (result.areas, result.sunset_areas) == (4, 0)
    assert (result.active_people, result.emeritus_people) == (6, 2)


def test_rst_yaml_loads_with_zero_errors(loaded):
    assert [problem for problem in loaded.warnings if problem.severity == "error"] == []


def test_rst_lead_written_with_a_star_bullet(loaded):
    assert loaded.config.lead == "ada"
    assert loaded.config.core.maintainers == ["ada", "annH"]
    assert loaded.config.core.emeritus == []


def test_rst_module_headings_under_both_groups_become_areas(small_rst, loaded):
    assert [area.key for area in loaded.config.areas] == ["nn", "distributed", "cpp-api", "torchvision"]
    groups = [module.group for module in parse_persons_of_interest(small_rst).modules]
    assert groups == ["Module-level maintainers"] * 3 + ["Library-level maintainers"]


def test_rst_list_right_under_the_heading_underline_is_read(loaded):
    distributed = loaded.config.area("distributed")
    assert distributed.maintainers == ["dan", "zoe", "Grace Hopper"]


def test_rst_handle_case_tie_goes_to_the_first_spelling(loaded):
    assert "annH" in loaded.config.people and "annh" not in loaded.config.people
    assert loaded.config.area("nn").maintainers == ["annH"]


def test_rst_non_ascii_name_survives(loaded):
    assert loaded.config.people["zoe"].name == "Zoë Ångström"


def test_rst_all_emeritus_area_has_no_active_maintainers(loaded):
    cpp = loaded.config.area("cpp-api")
    assert (cpp.maintainers, cpp.emeritus) == ([], ["otto"])


@pytest.mark.parametrize(("line", "expected"), [
    ("-  Ann Hart (`annh <https://github.com/annh>`__)", Entry("Ann Hart", "annh")),
    ("-  (emeritus) Carol King (`carol <https://github.com/carol>`_)", Entry("Carol King", "carol", True)),
    ("* Ada Lovelace (`ada <https://github.com/ada>`__)", Entry("Ada Lovelace", "ada")),
])
def test_rst_entry_forms(line, expected):
    assert parse_entry(line) == expected


def test_rst_heading_levels_follow_the_order_adornments_first_appear():
    # Over- and underlined title, then `~` before `-`: the first style seen is the outer one.
    text = ("=====\nTitle\n=====\n\nCore Maintainers\n~~~~~~~~~~~~~~~~\n\n- A (`a <https://github.com/a>`__)\n\n"
            "Modules\n~~~~~~~\n\nFoo\n---\n\n- B (`b <https://github.com/b>`__)\n")
    governance = parse_persons_of_interest(text)
    assert governance.format == "rst"
    assert [entry.handle for entry in governance.core] == ["a"]
    assert [(module.name, module.group) for module in governance.modules] == [("Foo", "Modules")]
