"""Load app.yaml into a `Config`, or fail with every problem in the file, each with its line."""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass
from pathlib import Path as FilePath

from pydantic import BaseModel, ValidationError

from bot.config.problems import ConfigError, Problem
from bot.config.rules import PeopleIndex, check_rules
from bot.config.schema import Config, Person
from bot.config.yaml_source import YamlDocument, YamlSyntaxError, parse_yaml


@dataclass(frozen=True)
class LoadedConfig:
    config: Config
    warnings: list[Problem]
    source: str


def load_config_file(path: str | FilePath) -> LoadedConfig:
    path = FilePath(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(str(path), [Problem((), f"cannot read the config: {error.strerror}")]) from None
    return load_config_text(text, source=str(path))


def load_config_text(text: str, source: str = "app.yaml") -> LoadedConfig:
    try:
        document = parse_yaml(text)
    except YamlSyntaxError as error:
        raise ConfigError(source, [Problem((), str(error), line=error.line)]) from None
    if not isinstance(document.data, dict):
        raise ConfigError(source, [Problem((), "the config must be a mapping with `project`, `lead`, `core`, "
                                               "`areas` …", line=1)])
    problems = [Problem(path, f"duplicate key '{path[-1]}': the later value would silently win", line=line)
                for path, line in document.duplicate_keys]
    problems += check_rules(document.data)
    config = None
    try:
        config = Config.model_validate(document.data)
    except ValidationError as error:
        taken = {problem.path for problem in problems if problem.severity == "error"}
        problems += [problem for problem in _schema_problems(error) if problem.path not in taken]
    problems = _with_lines(problems, document)
    if config is None or any(problem.severity == "error" for problem in problems):
        raise ConfigError(source, problems)
    return LoadedConfig(_canonical(config, document.data), problems, source)


def _schema_problems(error: ValidationError) -> list[Problem]:
    problems = []
    for detail in error.errors():
        path = tuple(part for part in detail["loc"] if not _is_union_tag(part))
        kind = detail["type"]
        if kind == "extra_forbidden":
            message = f"unknown key '{path[-1]}'{_suggest_key(path)}"
        elif kind == "missing":
            message = f"missing required key '{path[-1]}'"
        else:
            message = detail["msg"].removeprefix("Value error, ")
        problems.append(Problem(path, message))
    return problems


def _suggest_key(path: tuple) -> str:
    """` (did you mean 'channel'?)` when a key allowed at that place is close to the unknown one."""
    close = difflib.get_close_matches(str(path[-1]), keys_allowed_at(path[:-1]), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


def keys_allowed_at(path: tuple) -> list[str]:
    """The keys the schema accepts in the mapping at `path` (`('areas', 3)` -> an area's keys)."""
    annotation: object = Config
    for part in path:
        annotation = _inside(annotation, part)
    model = _model_of(annotation)
    return list(model.model_fields) if model is not None else []


def _inside(annotation: object, part: str | int) -> object:
    """The type of the value at `part` inside a value of type `annotation` (None: no such place)."""
    model = _model_of(annotation)
    if model is not None:
        field = model.model_fields.get(part) if isinstance(part, str) else None
        return field.annotation if field is not None else None
    for member in _members(annotation):
        origin, arguments = typing.get_origin(member), typing.get_args(member)
        if origin is list and isinstance(part, int) and arguments:
            return arguments[0]
        if origin is dict and isinstance(part, str) and len(arguments) == 2:
            return arguments[1]
    return None


def _members(annotation: object) -> tuple:
    # `SlaOverride | None` is a union: the mapping is whichever member is a model, list or dict.
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return typing.get_args(annotation)
    return (annotation,)


def _model_of(annotation: object) -> type[BaseModel] | None:
    return next((member for member in _members(annotation)
                 if isinstance(member, type) and issubclass(member, BaseModel)), None)


def _is_union_tag(part: object) -> bool:
    # pydantic names the union member it tried (`function-after[...]`); it is not part of the file.
    return isinstance(part, str) and ("[" in part or part in {"str", "int", "float"})


def _with_lines(problems: list[Problem], document: YamlDocument) -> list[Problem]:
    located = [
        problem if problem.line else Problem(problem.path, problem.message, problem.severity,
                                             document.line_of(problem.path))
        for problem in problems
    ]
    return sorted(located, key=lambda problem: (problem.line or 0, problem.severity))


def _canonical(config: Config, data: dict) -> Config:
    """Turn every person reference into a `people` key; bare Slack IDs get an entry of their own."""
    index = PeopleIndex(data.get("people") or {})
    people = dict(config.people)

    def key_of(reference: str) -> str:
        key = index.resolve(reference)
        if key not in people:  # a bare Slack ID: it is its own person
            people[key] = Person(slack=key)
        return key

    def keys_of(references: list[str]) -> list[str]:
        return list(dict.fromkeys(key_of(reference) for reference in references))

    lead = key_of(config.lead)
    core = config.core.model_copy(update={"maintainers": keys_of(config.core.maintainers),
                                          "emeritus": keys_of(config.core.emeritus)})
    areas = [
        area.model_copy(update={"maintainers": keys_of(area.maintainers), "emeritus": keys_of(area.emeritus)})
        for area in config.areas
    ]
    return config.model_copy(update={"lead": lead, "core": core, "areas": areas, "people": people})
