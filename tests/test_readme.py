"""The README's examples work: its app.yaml loads, and CI runs exactly its test command."""

import re
from pathlib import Path

from bot.config import load_config_text

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_app_yaml_example_loads_without_errors():
    [example] = re.findall(r"```yaml\n(.*?)```", README, re.DOTALL)
    config = load_config_text(example).config
    assert config.area("torch.nn") is None and config.area("nn").aliases == ["torch.nn"]


def test_ci_runs_the_readme_install_and_test_commands():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install -e ".[test]" && pytest' in README
    assert 'pip install -e ".[test]"' in ci and "\npytest" in ci


def test_the_quick_start_runs_the_sandbox():
    assert "pip install -e . && upline sandbox" in README
