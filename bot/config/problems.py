"""A problem found in app.yaml: what is wrong, where (path and line), and whether it stops loading."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Path = tuple[str | int, ...]


def format_path(path: Path) -> str:
    """('areas', 3, 'maintainers', 1) -> 'areas[3].maintainers[1]'."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


@dataclass(frozen=True)
class Problem:
    path: Path
    message: str
    severity: Literal["error", "warning"] = "error"
    line: int | None = None

    def located(self, source: str) -> str:
        """`app.yaml:14 areas[3].maintainers[1]: unknown person 'foo'`."""
        where = f"{source}:{self.line}" if self.line else source
        path = format_path(self.path)
        return f"{where} {path}: {self.message}" if path else f"{where}: {self.message}"


class ConfigError(Exception):
    """app.yaml cannot be used; `problems` holds every error found (and the warnings alongside)."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        errors = [problem for problem in problems if problem.severity == "error"]
        super().__init__("\n".join(problem.located(source) for problem in errors))

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "error"]
