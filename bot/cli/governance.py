"""`upline governance apply [--config app.yaml] [--persons-of-interest FILE] [--dry-run]`.

Writes the confirmed nominations and removals waiting in the database into app.yaml (`--config`, else
$UPLINE_CONFIG or ./app.yaml) and, when given, PyTorch's persons_of_interest.md, keeping their comments
and order, for a person to commit (a pull request); then marks the changes applied.

    $ upline governance apply --dry-run > hierarchy.patch    # the diff on stdout, what it would do on stderr
    $ upline governance apply --persons-of-interest docs/source/community/persons_of_interest.md
    app.yaml: added kshitij12345 to nn's maintainers, and to people (#41)
    persons_of_interest.md: added kshitij12345 to nn's maintainers (#41)
    1 change applied: review and commit app.yaml and persons_of_interest.md.

Nothing is written unless everything can be: the new app.yaml must pass `upline check` (else its errors
and exit 1), and every change must find its area in every file. `--dry-run` writes nothing at all, not
even to the database. A change a file already shows is "already so", so a run interrupted between
writing the files and marking the changes applied is repaired by running it again.
"""

from __future__ import annotations

import difflib
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from bot.cli.check import print_problems
from bot.cli.db import add_database_option, database_now, database_url, with_current_schema
from bot.clock import Clock, SystemClock
from bot.config import ConfigError, load_config_text
from bot.domain.hierarchy import HierarchyChange
from bot.governance import HierarchyEditError, app_yaml_edit, persons_of_interest_edit
from storage.engine import make_session_factory
from storage.unit_of_work import SqlUnitOfWork


@dataclass(frozen=True)
class FileEdit:
    path: Path
    label: str  # as the user named it, for the diff and the sentences
    before: str
    after: str
    done: list[str]


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("governance", help="write confirmed nominations and removals into app.yaml")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    apply_parser = actions.add_parser(
        "apply", help="write the confirmed hierarchy changes into app.yaml (and persons_of_interest.md)")
    apply_parser.add_argument("--config", metavar="FILE", default=None,
                              help="the app.yaml to change (default: $UPLINE_CONFIG or ./app.yaml)")
    apply_parser.add_argument("--persons-of-interest", metavar="FILE", default=None,
                              help="also change PyTorch's persons_of_interest.md")
    apply_parser.add_argument("--dry-run", action="store_true",
                              help="print the changes as a unified diff and change nothing")
    add_database_option(apply_parser)
    apply_parser.set_defaults(func=run_apply)


def run_apply(args, out=None, err=None, clock: Clock | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    clock = clock or SystemClock()
    config = args.config or os.environ.get("UPLINE_CONFIG", "app.yaml")

    def work(engine: Engine) -> int:
        session_factory = make_session_factory(engine)
        with SqlUnitOfWork(session_factory, read_only=True) as uow:
            pending = uow.hierarchy.pending()
        if not pending:
            print("Nothing to apply.", file=out)
            return 0
        edits = planned_edits(pending, config, args.persons_of_interest, err)
        if edits is None:
            return 1
        if args.dry_run:
            for edit in edits:
                out.writelines(unified_diff(edit))
            _tell(edits, err)
            print(f"dry run: {_count(pending)} pending, nothing was written", file=err)
            return 0
        for edit in edits:
            if edit.after != edit.before:
                write_atomically(edit.path, edit.after)
        with SqlUnitOfWork(session_factory) as uow:
            uow.hierarchy.mark_applied([change.id for change in pending], database_now(uow, clock, err))
            uow.commit()
        _tell(edits, out)
        changed = [edit.label for edit in edits if edit.after != edit.before]
        print(f"{_count(pending)} applied: " + (f"review and commit {' and '.join(changed)}." if changed
                                                else "the files already showed them."), file=out)
        return 0

    return with_current_schema(database_url(args), err, work)


def planned_edits(changes: list[HierarchyChange], config: str, persons_of_interest: str | None,
                  err) -> list[FileEdit] | None:
    """Each file before and after the changes; None once it printed why nothing may be written."""
    try:
        edits = [_edited(config, lambda text: app_yaml_edit.apply_changes(text, changes))]
        try:
            loaded = load_config_text(edits[0].after, source=config)
        except ConfigError as error:
            print_problems(error, err)
            print(f"{config}: the changes would leave it invalid; nothing was written", file=err)
            return None
        if persons_of_interest is not None:
            edits.append(_edited(persons_of_interest, lambda text: persons_of_interest_edit.apply_changes(
                text, changes, loaded.config)))
    except OSError as error:
        print(f"error: cannot read {error.filename}: {error.strerror}", file=err)
        return None
    except HierarchyEditError as error:
        print(f"error: {error}; nothing was written", file=err)
        return None
    return edits


def _edited(name: str, edit) -> FileEdit:
    path = Path(name)
    before = path.read_text(encoding="utf-8")
    after, done = edit(before)
    return FileEdit(path, name, before, after, done)


def unified_diff(edit: FileEdit) -> list[str]:
    """The edit as `git apply` reads it: `a/<path>` and `b/<path>`, every line ending in a newline."""
    label = _relative(edit.path)
    lines = []
    for line in difflib.unified_diff(edit.before.splitlines(keepends=True), edit.after.splitlines(keepends=True),
                                     f"a/{label}", f"b/{label}"):
        lines.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return lines


def _relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix().lstrip("/")


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step: a reader, or a crash, sees the old file or the new one."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        shutil.copymode(path, temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _tell(edits: list[FileEdit], stream) -> None:
    for edit in edits:
        for sentence in edit.done:
            print(f"{edit.label}: {sentence}", file=stream)


def _count(changes: list[HierarchyChange]) -> str:
    return f"{len(changes)} change{'s' if len(changes) != 1 else ''}"
