"""Plain text made safe for a Markdown document: it reads as typed, and cannot change the document around it.

A rationale that says `# Why`, `*not*`, a backtick, `<!channel>` or `1. first` shows exactly that, not
a heading, emphasis, code, raw HTML or a list: every character CommonMark (and GitHub's extensions:
tables, strikethrough, math) could read as markup is backslash-escaped, which CommonMark allows for
any ASCII punctuation, and so is what would start a block at the beginning of a line.
"""

from __future__ import annotations

import re

_INLINE = re.compile(r"([\\`*_\[\]<>#&|~$])")  # emphasis, code, links, raw HTML and entities, headings, tables
_LINE_START = re.compile(r"^([-+=])")  # lists, setext underlines and thematic breaks
_NUMBERED = re.compile(r"^(\d+)([.)])")  # an ordered list: `1.` or `1)`


def escape_markdown(text: str) -> str:
    """One line of plain text that Markdown shows as typed: no emphasis, code, link, heading, list or HTML."""
    return _escaped(" ".join(text.split()))


def blockquote(text: str) -> list[str]:
    """Text as a Markdown blockquote, each line escaped, its line breaks and paragraphs kept."""
    lines = [_escaped(line.strip()) for line in text.strip().splitlines()]
    if not lines:
        return [">"]
    quoted = []
    for line, after in zip(lines, [*lines[1:], ""], strict=True):
        hard_break = "\\" if line and after else ""  # a backslash ends a line that is not a paragraph's last
        quoted.append(f"> {line}{hard_break}" if line else ">")
    return quoted


def _escaped(line: str) -> str:
    line = _INLINE.sub(r"\\\1", line)
    return _NUMBERED.sub(r"\1\\\2", _LINE_START.sub(r"\\\1", line))
