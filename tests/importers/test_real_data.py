"""The importer on PyTorch's real, published files (exact copies; see SOURCE.md beside them).

The expected numbers were checked by reading the files: the .md has 49 `###` module headings (9
under "Sunsetted Modules"), the .rst 47 `~~~` ones; people are counted once per GitHub handle
ignoring case, and "emeritus" means emeritus everywhere they appear.
"""

from pathlib import Path

import pytest

from bot.config import load_config_text
from bot.importers import import_pytorch

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "pytorch"

pytestmark = pytest.mark.skipif(not (DATA / "persons_of_interest.md").is_file(),
                                reason=f"real PyTorch data not found at {DATA} (it lives beside the repository)")


def _read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def md_result():
    return import_pytorch(_read("persons_of_interest.md"))


@pytest.fixture(scope="module")
def md_config(md_result):
    return _load_without_errors(md_result.yaml)


@pytest.fixture(scope="module")
def rst_result():
    return import_pytorch(_read("persons_of_interest.rst"))


@pytest.fixture(scope="module")
def with_codeowners():
    return import_pytorch(_read("persons_of_interest.md"), _read("CODEOWNERS"))


def _load_without_errors(yaml_text: str):
    loaded = load_config_text(yaml_text)
    assert [problem for problem in loaded.warnings if problem.severity == "error"] == []
    return loaded.config


def test_real_md_counts(md_result):
    assert (md_result.areas, md_result.sunset_areas) == (49, 9)
    assert (md_result.active_people, md_result.emeritus_people) == (101, 84)


def test_real_md_lead_and_core(md_config):
    assert md_config.lead == "soumith"
    assert md_config.core.maintainers == ["soumith", "ezyang", "gchanan", "malfet", "albanD", "ptrblck",
                                          "ngimel", "Chillee", "jspisak"]
    assert md_config.core.emeritus == ["dzhulgakov"]


def test_real_md_nn_maintainers(md_config):
    nn = md_config.area("nn")
    assert nn.maintainers == ["mikaylagawarecki", "albanD", "jbschlosser"]
    assert nn.emeritus == ["gchanan", "soumith", "colesbury", "apaszke"]
    assert md_config.area("torch.nn") is None  # an alias, not a key
    assert "torch.nn" in nn.aliases


def test_real_md_merges_alband_into_albanD(md_config):
    assert "albanD" in md_config.people and "alband" not in md_config.people
    assert "albanD" in md_config.area("autograd").maintainers  # written `alband` there
    assert "eikanwang" in md_config.people and "EikanWang" not in md_config.people


def test_real_md_oddities(md_result, md_config):
    assert md_config.people["xadupre"].name == "Xavier Dupré"
    assert "Dhanasekar Karuppasamy" in md_config.area("torchserve").maintainers
    assert "yushangdi" in md_config.area("aoti").maintainers
    assert any("shangdiy" in note for note in md_result.notes)
    assert md_config.area("ao").aliases == ["torch.ao", "quantization"]


@pytest.mark.parametrize("result", ["md_result", "rst_result"])
def test_real_keys_are_short_readable_and_unique(result, request):
    config = _load_without_errors(request.getfixturevalue(result).yaml)
    keys = [area.key for area in config.areas]
    assert len({key.casefold() for key in keys}) == len(keys)
    for key in keys:
        words = key.split("-")
        assert len(key) <= 24, key
        assert len(set(words)) == len(words), key


def test_real_md_keys_of_long_headings(md_config):
    keys = {area.name: area.key for area in md_config.areas}
    assert keys["AOT Inductor (AOTI) & AOTI Runtime"] == "aoti"
    assert keys["Out-of-tree Backend Integration (PrivateUse1)"] == "out-of-tree-backend"
    assert keys["C++ API (libtorch + StableABI)"] == "cpp-api"
    assert keys["Profiling and Monitoring Tools"] == "profiling"
    assert keys["NN APIs (torch.nn)"] == "nn"
    assert md_config.area("aoti").aliases == ["aot-inductor"]
    assert md_config.area("out-of-tree-backend").aliases == ["privateuse1"]


def test_real_md_sunset_areas(md_config):
    assert [area.key for area in md_config.areas if area.sunset] == [
        "torchtune", "torchchat", "xla", "torchserve", "other-compilers", "liteinterpreter", "torchx",
        "torchdata", "torcharrow"]


def test_real_rst_counts_and_load(rst_result):
    assert (rst_result.areas, rst_result.sunset_areas) == (47, 0)
    assert (rst_result.active_people, rst_result.emeritus_people) == (79, 84)
    config = _load_without_errors(rst_result.yaml)
    assert config.lead == "soumith"
    assert config.core.maintainers == ["soumith", "ezyang", "gchanan", "dzhulgakov", "malfet", "albanD", "ptrblck"]
    assert config.area("nn").maintainers == ["mikaylagawarecki", "albanD", "jbschlosser"]
    assert config.area("torchcodec").maintainers == ["NicolasHug", "ahmadsharif1", "scotts"]


def test_real_rst_all_emeritus_area_keeps_nobody_active(rst_result):
    config = _load_without_errors(rst_result.yaml)
    compilers = config.area("compilers")
    assert compilers.maintainers == []
    assert compilers.emeritus[:2] == ["eellison", "suo"]
    assert compilers.aliases == []


def test_real_codeowners_assignment(with_codeowners):
    assert (with_codeowners.paths_assigned, with_codeowners.paths_unassigned) == (49, 21)
    config = _load_without_errors(with_codeowners.yaml)
    assert config.area("nn").paths == ["/torch/nn/"]
    assert config.area("autograd").paths == ["/torch/csrc/autograd/", "/torch/autograd/", "/tools/autograd/"]
    assert "/torch/nn/parallel/" in config.area("distributed").paths
    assert "/torch/onnx/" in config.area("onnx-exporter").paths  # owners there are all emeritus now
    assert "/aten/src/ATen/native/**/*LinearAlgebra*" in config.area("linalg").paths
    assert all(not area.paths for area in config.areas if area.sunset)
