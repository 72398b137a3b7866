"""Copies of the real files governance apply edits: the demo app.yaml and PyTorch's persons_of_interest.md.

Every test edits a copy in its own `tmp_path`, never the originals. Other test folders reuse them:
`from tests.governance.conftest import app_yaml, persons_of_interest  # noqa: F401`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data" / "pytorch"


@pytest.fixture
def app_yaml(tmp_path: Path) -> Path:
    return Path(shutil.copy(REPO / "app.yaml", tmp_path / "app.yaml"))


@pytest.fixture
def persons_of_interest(tmp_path: Path) -> Path:
    source = DATA / "persons_of_interest.md"
    if not source.is_file():
        pytest.skip(f"real PyTorch data not found at {DATA} (it lives beside the repository)")
    return Path(shutil.copy(source, tmp_path / "persons_of_interest.md"))
