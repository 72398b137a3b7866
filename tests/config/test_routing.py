"""Finding a question's area: by name, by keyword or path, or openly not at all."""

from textwrap import dedent

import pytest

from bot.config import load_config_text
from bot.config.routing import close_areas, find_area

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


def test_no_match_suggests_only_the_areas_a_word_comes_close_to(config):
    match = find_area(config, "optin why")
    assert match.area is None and match.how == "none"
    assert match.suggestions == ("optim",)


def test_nothing_close_suggests_nothing(config):
    match = find_area(config, "How do I bake bread?")
    assert match.area is None and match.suggestions == ()


@pytest.mark.parametrize(("text", "close"), [
    ("my optimizr diverges", ("optim",)),  # a keyword, misspelt
    ("hooks never fire", ("nn",)),  # a word of the keyword "forward hook"
    ("why does nn.Linear crash", ("nn", "nn-functional")),  # a short word counts when spelt exactly
    ("on my machine it fails", ()),  # ... and only then: "on" is not "nn"
    ("the kernels hang", ("cuda", "sparse")),  # both have the keyword: equally close
    ("torchscrip fails", ()),  # sunset areas are never suggested
])
def test_close_means_a_word_spelt_almost_like_an_areas_word(config, text, close):
    assert close_areas(config, text) == close


def test_a_word_three_areas_share_says_nothing():
    config = load_config_text(CONFIG + "  - key: autograd\n    aliases: [torch.autograd]\n").config
    assert close_areas(config, "torch is slow") == ()
    assert close_areas(config, "autograd is slow") == ("autograd",)


def test_closest_first_and_at_most_three(config):
    text = "optimizr kernels forward hooks"
    assert close_areas(config, text) == ("nn", "optim", "cuda")  # "hooks" is closer to "hook" than "kernels"


def test_close_areas_reads_a_long_question_quickly(config):
    words = " ".join(f"word{number}" for number in range(5000))
    assert close_areas(config, words + " optimizr") == ()  # past the first 100 distinct words


def test_sunset_area_is_reached_only_by_name_and_says_so(config):
    assert find_area(config, "torchscript scripting fails").area is None
    assert find_area(config, "crash in torch/jit/frontend.py").area is None
    named = find_area(config, "jit scripting fails")
    assert named.area.key == "jit" and named.sunset


def test_sunset_areas_are_not_suggested(config):
    assert "jit" not in close_areas(config, "jit")


def test_empty_text_finds_nothing_and_suggests_nothing(config):
    match = find_area(config, "   ")
    assert match.area is None and match.suggestions == ()
