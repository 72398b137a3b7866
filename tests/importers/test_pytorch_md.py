"""`upline import pytorch persons_of_interest.md`: the Markdown list becomes a loadable app.yaml."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import load_config_text
from bot.config.schema import AREA_KEY
from bot.importers import PersonsOfInterestError, import_pytorch
from bot.importers.app_yaml import key_and_aliases, short_slug, unique_areas
from bot.importers.pytorch import Entry, detect_format, parse_entry, parse_persons_of_interest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def small_md() -> str:
    return (FIXTURES / "small.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def loaded(small_md):
    return load_config_text(import_pytorch(small_md).yaml)


def _area(config, key):
    area = config.area(key)
    assert area is not None, f"no area {key!r}"
    return area


def test_md_fixture_counts(small_md):
    result = import_pytorch(small_md)
    assert (result.areas, result.sunset_areas) == (5, 1)
    assert (result.active_people, result.emeritus_people) == (9, 3)
    assert result.paths_assigned == 0


def test_generated_yaml_loads_with_zero_errors(small_md):
    loaded = load_config_text(import_pytorch(small_md).yaml)
    assert [problem for problem in loaded.warnings if problem.severity == "error"] == []
    # Nobody has a Slack ID yet: one warning per person, and nothing else.
    assert len(loaded.warnings) == 12
    assert all("no Slack ID" in problem.message for problem in loaded.warnings)


def test_md_is_detected():
    assert detect_format("# Title\n\n## Core Maintainers\n\n- A ([a](https://github.com/a))\n") == "md"


def test_text_without_headings_is_refused():
    with pytest.raises(PersonsOfInterestError, match="does not look like"):
        import_pytorch("just some words\n- and a bullet\n")


def test_list_without_core_maintainers_is_refused():
    with pytest.raises(PersonsOfInterestError, match="Core Maintainers"):
        import_pytorch("## Lead Core Maintainer (BDFL)\n\n- A ([a](https://github.com/a))\n")


def test_lead_and_core_come_from_their_sections(loaded):
    config = loaded.config
    assert config.project == "PyTorch"
    assert config.lead == "ada"
    assert config.core.maintainers == ["ada", "annH"]
    assert config.core.emeritus == ["otto"]


def test_front_matter_and_responsibilities_are_ignored(small_md, loaded):
    governance = parse_persons_of_interest(small_md)
    assert [module.name for module in governance.modules] == [
        "NN APIs (torch.nn)", "Autograd (torch.autograd)", "Distributions & RNG", "TorchVision", "TorchOld"]
    assert "Triage and fix high priority issues assigned to the module" not in loaded.config.people


def test_emeritus_is_never_active_in_the_same_area(loaded):
    nn = _area(loaded.config, "nn")
    assert nn.maintainers == ["annH", "bob"]
    assert nn.emeritus == ["carol"]
    for area in loaded.config.areas:
        assert not set(area.maintainers) & set(area.emeritus)


def test_handle_case_variants_merge_into_the_most_used_spelling(loaded):
    config = loaded.config
    assert "annH" in config.people and "annh" not in config.people
    assert _area(config, "autograd").maintainers == ["zoe", "annH", "Grace Hopper"]


def test_handle_spelling_tie_goes_to_the_first_seen():
    text = ("## Core Maintainers\n\n- Eve ([EveX](https://github.com/EveX))\n\n## Modules\n\n"
            "### Foo\n\n- Eve ([evex](https://github.com/evex))\n")
    config = load_config_text(import_pytorch(text).yaml).config
    assert list(config.people) == ["EveX"]
    assert _area(config, "foo").maintainers == ["EveX"]


def test_non_ascii_names_survive_the_round_trip(small_md, loaded):
    assert loaded.config.people["zoe"].name == "Zoë Ångström"
    assert loaded.config.people["lilei"].name == "李雷"
    assert "Zoë Ångström" in import_pytorch(small_md).yaml  # written as text, not as \u escapes


def test_entry_without_handle_is_kept_by_name(loaded):
    assert loaded.config.people["Grace Hopper"].name == "Grace Hopper"


def test_entry_without_handle_joins_the_person_listed_with_that_name():
    text = ("## Core Maintainers\n\n- Ann Hart ([annh](https://github.com/annh))\n\n## Modules\n\n"
            "### Foo\n\n- Ann Hart\n")
    config = load_config_text(import_pytorch(text).yaml).config
    assert list(config.people) == ["annh"]
    assert _area(config, "foo").maintainers == ["annh"]


def test_sunset_group_marks_its_areas_sunset(loaded):
    assert _area(loaded.config, "torchold").sunset is True
    assert [area.key for area in loaded.config.areas if area.sunset] == ["torchold"]


def test_groups_are_written_as_comments_above_their_areas(small_md):
    yaml_text = import_pytorch(small_md).yaml
    group = yaml_text.index("# Core Governed External Module maintainers")
    assert group < yaml_text.index("key: torchvision")
    assert yaml_text.index("key: distributions-rng") < group


def test_header_says_where_it_came_from_and_to_add_slack_ids(small_md):
    header = import_pytorch(small_md).yaml.split("\n\n", 1)[0]
    assert "persons_of_interest.md" in header and "Slack" in header


def test_same_input_gives_the_same_text(small_md):
    assert import_pytorch(small_md).yaml == import_pytorch(small_md).yaml


@pytest.mark.parametrize(("line", "expected"), [
    ("- Ann Hart ([annH](https://github.com/annH))", Entry("Ann Hart", "annH")),
    ("- (emeritus) Bob Stone ([bob](https://github.com/bob))", Entry("Bob Stone", "bob", emeritus=True)),
    ("* Bob Stone ([bob](https://github.com/bob/)) (emeritus)", Entry("Bob Stone", "bob", emeritus=True)),
    ("- Dhanasekar Karuppasamy", Entry("Dhanasekar Karuppasamy")),
    ("- Xavier Dupré ([xadupre](https://github.com/xadupre))", Entry("Xavier Dupré", "xadupre")),
    ("- Ann Hart (@annh)", Entry("Ann Hart", "annh")),
])
def test_parse_entry_reads_each_written_form(line, expected):
    assert parse_entry(line) == expected


def test_github_url_wins_over_a_different_link_text():
    text = ("## Core Maintainers\n\n- Shangdi Yu ([shangdiy](https://github.com/yushangdi))\n")
    governance = parse_persons_of_interest(text)
    assert governance.core[0].handle == "yushangdi"
    assert any("shangdiy" in note and "yushangdi" in note for note in governance.notes)


@pytest.mark.parametrize(("name", "key", "aliases"), [
    ("NN APIs (torch.nn)", "nn", ["torch.nn", "nn-apis"]),
    ("Autograd (torch.autograd)", "autograd", ["torch.autograd"]),
    ("Quantization (torch/ao)", "ao", ["torch.ao", "quantization"]),
    ("Distributions & RNG", "distributions-rng", []),
    ("TorchDynamo", "torchdynamo", []),
    ("Build + CI", "build-ci", []),
    ("AMD/ROCm/HIP", "amd-rocm-hip", []),
    ("C++ API (libtorch + StableABI)", "cpp-api", []),
    ("ExecuTorch (Edge, Mobile)", "executorch", []),
    ("AOT Inductor (AOTI) & AOTI Runtime", "aoti", ["aot-inductor"]),
    ("Out-of-tree Backend Integration (PrivateUse1)", "out-of-tree-backend", ["privateuse1"]),
    ("Profiling and Monitoring Tools", "profiling", []),
    ("Other Compilers (JIT / TorchScript / Package / Deploy)", "other-compilers", []),
    ("Fast Fourier Transform (torch.fft)", "fft", ["torch.fft", "fast-fourier-transform"]),
    ("Modulé Spécial", "module-special", []),
    ("???", "area", []),
])
def test_area_key_is_derived_from_the_heading(name, key, aliases):
    assert key_and_aliases(name) == (key, aliases)
    assert AREA_KEY.match(key)


@pytest.mark.parametrize(("name", "short"), [
    ("AOT Inductor AOTI AOTI Runtime", "aot-inductor-aoti"),  # no word twice, then whole words
    ("Distributed Data Parallel and Friends", "distributed-data"),  # before "and", still too long
    ("The Very Long Name of a Module", "the-very-long-name"),  # never ending on "of a"
    ("Supercalifragilisticexpialidocious", "supercalifragilisticexpi"),
])
def test_short_slugs_have_no_word_twice_and_fit_in_24_characters(name, short):
    assert short_slug(name) == short
    assert len(short_slug(name)) <= 24


def test_colliding_keys_get_a_suffix_and_colliding_aliases_are_dropped():
    named = unique_areas(["NN APIs (torch.nn)", "Old NN (torch.nn)", "NN apis"])
    assert named == [
        ("nn", ["torch.nn"]),  # `nn-apis` is the third area's key: keys win
        ("nn-2", ["old-nn"]),  # `torch.nn` already belongs to the first area
        ("nn-apis", []),
    ]


def test_colliding_headings_still_load():
    text = ("## Core Maintainers\n\n- A ([a](https://github.com/a))\n\n## Modules\n\n"
            "### NN APIs (torch.nn)\n\n- A ([a](https://github.com/a))\n\n"
            "### Old NN (torch.nn)\n\n- A ([a](https://github.com/a))\n\n"
            "### NN apis\n\n- A ([a](https://github.com/a))\n")
    config = load_config_text(import_pytorch(text).yaml).config
    assert [area.key for area in config.areas] == ["nn", "nn-2", "nn-apis"]


def test_without_a_lead_section_the_first_active_core_maintainer_leads():
    text = ("## Core Maintainers\n\n- (emeritus) Old ([old](https://github.com/old))\n"
            "- New ([new](https://github.com/new))\n")
    result = import_pytorch(text)
    assert load_config_text(result.yaml).config.lead == "new"
    assert any("no Lead Core Maintainer" in note for note in result.notes)


# Names as people write them: any script, punctuation and symbols (parentheses would read as a handle).
_NAME_CHARACTERS = st.characters(categories=("L", "N", "Zs", "Po", "Pd", "Ps", "Pe", "Sm", "So"),
                                 exclude_characters="()\\")
_NAME = (st.text(alphabet=_NAME_CHARACTERS, min_size=1, max_size=30)
         .map(lambda text: " ".join(text.split()))
         .filter(lambda name: name and name[0] not in "-*+" and name.casefold() != "ada"))


@settings(max_examples=150, deadline=None)
@given(names=st.lists(_NAME, min_size=1, max_size=5))
def test_any_written_name_survives_the_round_trip(names):
    text = "## Core Maintainers\n\n- Ada ([ada](https://github.com/ada))\n\n## Modules\n\n### Foo\n\n"
    text += "".join(f"- {name}\n" for name in names)
    config = load_config_text(import_pytorch(text).yaml).config
    written = {config.display_name(key) for key in config.area("foo").maintainers}
    assert {name.casefold() for name in written} == {name.casefold() for name in names}
