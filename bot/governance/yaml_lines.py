"""Keep a YAML file's own lines where ruamel.yaml's round trip would respell or move them.

ruamel.yaml edits a document and writes it back with its comments, but it writes every line in its own
spelling (`question:   {ack: 1d}` loses its alignment, one indentation for every list), and a comment
block that ends an item travels with that item: append to a list and the new entry lands after the
group comment that introduces the next area; delete the item and the comment goes with it.

`keep_original_lines(original, baseline, edited)` takes the file, ruamel's dump of it unchanged, and its
dump after the edit, and returns the file with only the edit made: every line the edit did not touch
is the file's own, new lines take the indentation of their siblings in the file, a new line is put
before (not after) a comment block that introduces something less indented, and no comment or blank
line is ever deleted. If that ever reads back as different data than ruamel's dump, ruamel's dump wins:
its spelling may differ, but its data is the edit.
"""

from __future__ import annotations

import difflib
import io

from ruamel.yaml import YAML


def keep_original_lines(original: str, baseline: str, edited: str) -> str:
    source, base, new = original.splitlines(), baseline.splitlines(), edited.splitlines()
    own = _own_spelling(source, base)  # baseline line -> the file's line
    shift = [len(_indent(own[index])) - len(_indent(base[index])) if own[index] is not None else None
             for index in range(len(base))]
    out: list[str] = []
    for tag, b1, b2, n1, n2 in difflib.SequenceMatcher(None, base, new, autojunk=False).get_opcodes():
        if tag == "equal":
            out += [own[index] if own[index] is not None else base[index] for index in range(b1, b2)]
            continue
        added = [_reindented(line, base, shift, b2) for line in new[n1:n2]]
        kept = [own[index] if own[index] is not None else base[index]
                for index in range(b1, b2) if _is_comment_or_blank(base[index]) and base[index] not in new[n1:n2]]
        _insert_before_lesser_comments(out, added)
        out += kept
    result = "\n".join(out) + ("\n" if edited.endswith("\n") else "")
    return result if _data(result) == _data(edited) else edited


def _own_spelling(source: list[str], base: list[str]) -> list[str | None]:
    """For each baseline line, the file's line it stands for: same text, or respelled one for one."""
    own: list[str | None] = [None] * len(base)
    for tag, s1, s2, b1, b2 in difflib.SequenceMatcher(None, source, base, autojunk=False).get_opcodes():
        if tag == "equal" or (tag == "replace" and s2 - s1 == b2 - b1):
            for offset in range(b2 - b1):
                own[b1 + offset] = source[s1 + offset]
    return own


def _reindented(line: str, base: list[str], shift: list[int | None], before: int) -> str:
    """`line` moved by the indentation difference of the nearest sibling line (same indentation and
    kind in ruamel's dump) the file spells differently: a list the file indents less stays so."""
    indent, is_item = len(_indent(line)), line.lstrip().startswith("- ")
    for index in [*range(before - 1, -1, -1), *range(before, len(base))]:
        candidate = base[index]
        if (shift[index] is not None and not _is_comment_or_blank(candidate)
                and len(_indent(candidate)) == indent and candidate.lstrip().startswith("- ") == is_item):
            return " " * max(indent + shift[index], 0) + line.lstrip() if shift[index] else line
    return line


def _insert_before_lesser_comments(out: list[str], added: list[str]) -> None:
    """Append `added` to `out`, but before the comments and blank lines that end `out` when they are
    less indented than the new lines: those introduce what follows, not what is being added to."""
    first = next((line for line in added if not _is_comment_or_blank(line)), None)
    held: list[str] = []
    if first is not None:
        depth = len(_indent(first))
        while out and _is_comment_or_blank(out[-1]) and (not out[-1].strip() or len(_indent(out[-1])) < depth):
            held.insert(0, out.pop())
    out += added + held


def _is_comment_or_blank(line: str) -> bool:
    return not line.strip() or line.lstrip().startswith("#")


def _indent(line: str | None) -> str:
    return "" if line is None else line[: len(line) - len(line.lstrip(" "))]


def _data(text: str) -> object:
    return YAML(typ="safe", pure=True).load(io.StringIO(text))
