"""Read YAML while remembering the line of every value, so each config error can point at its line.

It also closes two YAML 1.1 traps that bite config files: `no`/`yes`/`on`/`off` stay strings (a
country code `NO` is Norway, not False) and `9:30` stays a string instead of the base-60 number 570.
Duplicate keys in one mapping, which PyYAML would silently overwrite, are reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

Path = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2's booleans and without base-60 integers."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:bool",
                                                                        "tag:yaml.org,2002:int")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?0|[-+]?[1-9][0-9_]*)$"), list("-+0123456789")
)


@dataclass
class YamlDocument:
    """Plain Python data plus where each piece came from (1-based lines)."""

    data: object
    lines: dict[Path, int] = field(default_factory=dict)
    duplicate_keys: list[tuple[Path, int]] = field(default_factory=list)

    def line_of(self, path: Path) -> int | None:
        """The line of `path`, or of its nearest existing parent (a missing key points at its owner)."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None


class YamlSyntaxError(ValueError):
    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


def parse_yaml(text: str) -> YamlDocument:
    """Parse one YAML document; raise YamlSyntaxError with the line where parsing failed."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise YamlSyntaxError(f"not valid YAML: {error.problem or error}", mark.line + 1 if mark else None) \
            from None
    finally:
        loader.dispose()
    document = YamlDocument(data=None)
    if root is None:
        return document
    document.data = _build(root, (), document, loader)
    return document


def _build(node: yaml.Node, path: Path, document: YamlDocument, loader: _Loader) -> object:
    document.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # resolves `<<: *anchor` merge keys
        result: dict = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                raise YamlSyntaxError("a mapping key must be a plain value", key_node.start_mark.line + 1)
            child = (*path, key)
            if key in result:
                document.duplicate_keys.append((child, key_node.start_mark.line + 1))
            document.lines[child] = key_node.start_mark.line + 1
            result[key] = _build(value_node, child, document, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, index), document, loader) for index, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)
