"""`--codeowners CODEOWNERS`: each pattern goes to the one area whose maintainers own it, or nowhere."""

from pathlib import Path

import pytest

from bot.config import load_config_text
from bot.importers import import_pytorch
from bot.importers.codeowners import AreaOwners, OwnerRule, assign_paths, owning_area, parse_codeowners

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def imported():
    return import_pytorch((FIXTURES / "small.md").read_text(encoding="utf-8"),
                          (FIXTURES / "CODEOWNERS").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def config(imported):
    return load_config_text(imported.yaml).config


def test_comments_and_blank_lines_are_skipped():
    rules = parse_codeowners("# a comment\n\n   \n/torch/nn/ @albanD @jbschlosser\n")
    assert rules == [OwnerRule("/torch/nn/", ("albanD", "jbschlosser"), 4)]


def test_teams_and_emails_are_not_owners():
    [rule] = parse_codeowners("/docs/ @pytorch/docs-team someone@example.com @svekars\n")
    assert rule.owners == ("svekars",)


def test_inline_comment_ends_the_owners():
    [rule] = parse_codeowners("*.py @a @b # @c is not an owner\n")
    assert (rule.pattern, rule.owners) == ("*.py", ("a", "b"))


def test_escaped_space_stays_in_the_pattern():
    [rule] = parse_codeowners(r"/docs/my\ file.md @a" + "\n")
    assert rule.pattern == r"/docs/my\ file.md"


def test_pattern_listed_twice_keeps_its_last_owners():
    rules = parse_codeowners("/x.py @a\n/y.py @b\n/x.py @a @c\n")
    assert [(rule.pattern, rule.owners) for rule in rules] == [("/y.py", ("b",)), ("/x.py", ("a", "c"))]


def test_fixture_paths_go_to_their_areas(config):
    paths = {area.key: area.paths for area in config.areas if area.paths}
    assert paths == {
        "nn": ["/torch/nn/", "/legacy/**"],
        "autograd": ["/torch/autograd/"],
        "distributions-rng": ["/torch/distributions/"],
        "torchvision": ["/old-vision/"],
    }


def test_fixture_counts_assigned_and_unassigned(imported):
    assert (imported.paths_assigned, imported.paths_unassigned) == (5, 3)
    assert any("/shared/utils.py" in note for note in imported.notes)


def test_owner_handles_match_ignoring_case():
    areas = [AreaOwners.of("autograd", ["soulitzer", "albanD"]), AreaOwners.of("nn", ["albanD", "jbschlosser"])]
    assert owning_area(OwnerRule("/torch/autograd/", ("ALBAND", "Soulitzer"), 1), areas) == "autograd"


def test_area_with_most_active_owners_wins():
    areas = [AreaOwners.of("nn", ["mikaylagawarecki", "albanD", "jbschlosser"]),
             AreaOwners.of("optim", ["janeyx99", "albanD", "jbschlosser"]),
             AreaOwners.of("multiprocessing", ["albanD"])]
    rule = OwnerRule("/torch/nn/", ("albanD", "jbschlosser", "mikaylagawarecki"), 1)
    assert owning_area(rule, areas) == "nn"


def test_tie_leaves_the_pattern_unassigned():
    areas = [AreaOwners.of("nn", ["albanD"]), AreaOwners.of("optim", ["albanD"])]
    assignment = assign_paths([OwnerRule("/docs/source/conf.py", ("albanD",), 1)], areas)
    assert assignment.paths == {}
    assert [rule.pattern for rule in assignment.unassigned] == ["/docs/source/conf.py"]


def test_tie_among_active_owners_is_not_broken_by_emeritus_ones():
    areas = [AreaOwners.of("ao", ["jerryzh168"]), AreaOwners.of("executorch", ["digantdesai"], ["kimishpatel"])]
    rule = OwnerRule("/aten/src/ATen/native/quantized", ("jerryzh168", "kimishpatel", "digantdesai"), 1)
    assert owning_area(rule, areas) is None


def test_emeritus_owners_decide_only_when_no_active_owner_matches():
    areas = [AreaOwners.of("onnx", ["justinchuby"], ["bowenbao", "abock"]), AreaOwners.of("nn", ["albanD"])]
    assert owning_area(OwnerRule("/torch/onnx/", ("BowenBao", "abock"), 1), areas) == "onnx"


def test_no_overlap_at_all_is_unassigned():
    areas = [AreaOwners.of("nn", ["albanD"])]
    assert owning_area(OwnerRule("/torch/profiler/", ("aaronenyeshi",), 1), areas) is None


def test_sunset_areas_never_get_paths():
    areas = [AreaOwners.of("torchx", ["d4l3k"], sunset=True), AreaOwners.of("distributed", ["wconstab"])]
    assert owning_area(OwnerRule("/torchx/", ("d4l3k",), 1), areas) is None


def test_yaml_with_paths_loads_with_zero_errors(imported):
    loaded = load_config_text(imported.yaml)
    assert [problem for problem in loaded.warnings if problem.severity == "error"] == []


def test_glob_patterns_stay_in_codeowners_syntax():
    text = ("## Core Maintainers\n\n- A ([a](https://github.com/a))\n\n## Modules\n\n"
            "### CUDA\n\n- Bob ([bob](https://github.com/bob))\n")
    codeowners = "*.cu @bob\n/aten/src/ATen/native/cuda/** @bob\n[abc]*.cuh @bob\n!keep.cu @bob\n"
    config = load_config_text(import_pytorch(text, codeowners).yaml).config
    assert config.area("cuda").paths == ["*.cu", "/aten/src/ATen/native/cuda/**", "[abc]*.cuh", "!keep.cu"]
