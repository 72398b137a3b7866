"""The page's Governance panel: what `upline governance apply --dry-run` would write into the sandbox's
app.yaml, from the confirmed nominations and removals its database holds and nobody applied yet.

    GET /sandbox/governance
    {"file": "app.yaml", "pending": 1, "diff": "--- a/app.yaml\\n+++ b/app.yaml\\n@@ …",
     "done": ["added janeyx99 to nn's maintainers (#2)"], "problems": ""}

It is the CLI's own computation (`bot.cli.governance.planned_edits` and `unified_diff`) and, like
`--dry-run`, it writes nothing: not the file, not the database. `problems` carries what the CLI would
print instead of writing (an area app.yaml lacks, a file that would no longer pass `upline check`).
"""

from __future__ import annotations

import io
from pathlib import Path

from starlette.requests import Request

from bot.sandbox.page_api.context import PageContext


async def governance(ctx: PageContext, request: Request) -> dict:
    # Imported here: bot.cli imports every command, `upline sandbox` and so this page among them.
    from bot.cli.governance import planned_edits, unified_diff

    answer = {"file": shown(ctx.config_path), "pending": 0, "diff": "", "done": [], "problems": ""}
    if ctx.config_path is None:
        return {**answer, "problems": "This sandbox was started without an app.yaml file to change."}
    pending = ctx.pending_changes()
    answer["pending"] = len(pending)
    if not pending:
        return answer
    problems = io.StringIO()
    edits = planned_edits(pending, ctx.config_path, None, problems)
    if edits is None:
        return {**answer, "problems": problems.getvalue()}
    return {**answer, "diff": "".join(line for edit in edits for line in unified_diff(edit)),
            "done": [sentence for edit in edits for sentence in edit.done]}


def shown(path: str | None) -> str | None:
    """The file as the diff names it: from the working directory when it is under it."""
    if path is None:
        return None
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path
