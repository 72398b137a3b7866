"""Finding a question's area: by name, by keyword or path, or openly not at all."""

from textwrap import dedent

import pytest

from bot.config import load_config_text
from bot.domain.routing import closest_areas, find_area

CONFIG = dedent("""\
    project: Demo
    lead: U0LEAD
    core: {maintainers: [U0CORE]}
    areas:
      - key: nn
        aliases: [torch.nn]
        keywords: [forward hook, layer]
        paths: [/torch/nn/]
      - key: nn-functional
        parent: nn
        paths: [/torch/nn/functional.py]
      - key: optim
        aliases: [torch.optim]
        keywords: [optimizer]
        paths: [/torch/optim/]
      - key: cuda
        keywords: [kernel]
        paths: ["*.cu"]
      - key: jit
        sunset: true
        keywords: [torchscript]
        paths: [/torch/jit/]
      - key: sparse
        keywords: [kernel]
    """)


@pytest.fixture(scope="module")
def config():
    return load_config_text(CONFIG).config


def test_first_word_key_routes_and_is_removed_from_the_question(config):
    match = find_area(config, "nn How do I freeze a layer?")
    assert (match.area.key, match.how, match.question) == ("nn", "key", "How do I freeze a layer?")


def test_first_word_alias_routes_whatever_its_case(config):
    match = find_area(config, "Torch.Optim why is Adam slow")
    assert (match.area.key, match.how) == ("optim", "alias")


def test_keyword_in_the_text_routes(config):
    match = find_area(config, "my forward hook never fires")
    assert (match.area.key, match.how, match.matched) == ("nn", "keyword", "forward hook")
    assert match.question == "my forward hook never fires"


def test_keywords_match_whole_words_only(config):
    assert find_area(config, "the player crashed").area is None  # "layer" inside "player"


def test_a_file_path_finds_the_area_that_owns_it(config):
    match = find_area(config, "why does torch/nn/modules/conv.py pad twice?")
    assert (match.area.key, match.how) == ("nn", "path")


def test_the_most_specific_path_pattern_wins(config):
    assert find_area(config, "bug in torch/nn/functional.py").area.key == "nn-functional"


def test_glob_patterns_cover_files_anywhere(config):
    assert find_area(config, "aten/src/ATen/native/cuda/Loss.cu leaks").area.key == "cuda"


def test_a_tie_is_not_a_decision(config):
    match = find_area(config, "my kernel hangs")
    assert match.area is None
    assert match.suggestions == ("cuda", "sparse")


def test_no_match_suggests_the_three_closest_areas(config):
    match = find_area(config, "optin why")
    assert match.area is None and match.how == "none"
    assert match.suggestions[0] == "optim"
    assert len(match.suggestions) == 3


def test_sunset_area_is_reached_only_by_name_and_says_so(config):
    assert find_area(config, "torchscript scripting fails").area is None
    assert find_area(config, "crash in torch/jit/frontend.py").area is None
    named = find_area(config, "jit scripting fails")
    assert named.area.key == "jit" and named.sunset


def test_sunset_areas_are_not_suggested(config):
    assert "jit" not in closest_areas(config, "jit")


def test_empty_text_finds_nothing_but_still_suggests(config):
    match = find_area(config, "   ")
    assert match.area is None and len(match.suggestions) == 3
