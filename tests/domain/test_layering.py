"""The domain owns its types and rules: nothing in bot/domain imports the config, storage, Slack or the
services — they depend on the domain, never the other way round."""

import ast
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "bot" / "domain"


def imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    return modules | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}


def test_the_domain_imports_only_the_domain_and_libraries():
    outside = {f"{path.name}: {module}" for path in DOMAIN.glob("*.py") for module in imported(path)
               if module.split(".")[0] in ("bot", "storage", "handlers") and not module.startswith("bot.domain")}
    assert outside == set()
