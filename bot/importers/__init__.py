"""Importers: turn a project's published maintainer list into an app.yaml for Upline.

`upline import pytorch persons_of_interest.md [--codeowners CODEOWNERS]` calls `import_pytorch` and
prints `ImportResult.yaml` on stdout and the counts (and notes on anything odd in the input) on stderr.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.importers.app_yaml import build_config, render
from bot.importers.codeowners import AreaOwners, assign_paths, parse_codeowners
from bot.importers.pytorch import Governance, PersonsOfInterestError, parse_persons_of_interest


@dataclass(frozen=True)
class ImportResult:
    """The generated app.yaml text and what it contains."""

    yaml: str
    areas: int
    active_people: int  # active somewhere: lead, core, or an area (a sunset one included)
    emeritus_people: int  # emeritus everywhere they appear
    sunset_areas: int
    paths_assigned: int
    paths_unassigned: int = 0
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        return (f"{self.areas} areas ({self.sunset_areas} sunset), {self.active_people} active people, "
                f"{self.emeritus_people} emeritus people, {self.paths_assigned} paths assigned"
                + (f" ({self.paths_unassigned} left unassigned)" if self.paths_unassigned else ""))


def import_pytorch(text: str, codeowners: str | None = None) -> ImportResult:
    """PyTorch's persons_of_interest (.md or .rst text), and optionally its CODEOWNERS, as app.yaml."""
    governance = parse_persons_of_interest(text)
    config = build_config(governance)
    notes = list(governance.notes)
    unassigned = 0
    if codeowners is not None:
        areas = [AreaOwners.of(area["key"], area["maintainers"], area.get("emeritus", ()),
                               area.get("sunset", False)) for area in config["areas"]]
        assignment = assign_paths(parse_codeowners(codeowners), areas)
        for area in config["areas"]:
            if area["key"] in assignment.paths:
                area["paths"] = list(assignment.paths[area["key"]])
        unassigned = len(assignment.unassigned)
        notes += [f"CODEOWNERS line {rule.line}: {rule.pattern} has no single owning area; left unassigned"
                  for rule in assignment.unassigned]
    active = {config["lead"], *config["core"]["maintainers"]}
    active.update(key for area in config["areas"] for key in area["maintainers"])
    return ImportResult(
        yaml=render(config, governance.format),
        areas=len(config["areas"]),
        active_people=len(active),
        emeritus_people=len(config["people"]) - len(active),
        sunset_areas=sum(1 for area in config["areas"] if area.get("sunset")),
        paths_assigned=sum(len(area.get("paths", ())) for area in config["areas"]),
        paths_unassigned=unassigned,
        notes=tuple(notes),
    )


__all__ = ["Governance", "ImportResult", "PersonsOfInterestError", "import_pytorch",
           "parse_persons_of_interest"]
