"""Checks each call the app makes against Slack's published OpenAPI (Swagger 2.0) description of the Web API.

The stand-in answers like Slack, but a stand-in can be more forgiving than Slack without anyone noticing;
this catches the two mistakes that would only show up against the real thing: calling a method that
does not exist, and leaving out a parameter Slack requires. The description dates from 2021-09, so
methods Slack added since are listed in `NEWER_METHODS` with their required parameters (from Slack's
method docs). `token` is never required here: Slack's clients send it in the Authorization header.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Methods newer than the OpenAPI description -> their required parameters.
NEWER_METHODS: dict[str, frozenset[str]] = {
    "apps.connections.open": frozenset(),  # Socket Mode (2021-01), absent from the 2021-09 description
    "assistant.threads.setStatus": frozenset({"channel_id", "thread_ts", "status"}),
    "assistant.threads.setSuggestedPrompts": frozenset({"channel_id", "thread_ts", "prompts"}),
    "assistant.threads.setTitle": frozenset({"channel_id", "thread_ts", "title"}),
    "functions.completeSuccess": frozenset({"function_execution_id", "outputs"}),
    "functions.completeError": frozenset({"function_execution_id", "error"}),
}

_PARAMETER_PLACES = ("formData", "query")  # where Web API arguments live; `header` holds only the token


@dataclass(frozen=True)
class OpenApiCatalog:
    """Slack Web API methods -> the parameters each requires."""

    required: Mapping[str, frozenset[str]]

    @classmethod
    def load(cls, path: str | Path) -> OpenApiCatalog:
        return cls.from_document(json.loads(Path(path).read_text(encoding="utf-8")))

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> OpenApiCatalog:
        required: dict[str, frozenset[str]] = {}
        for path, operations in document.get("paths", {}).items():
            names: set[str] = set()
            for operation in operations.values():
                names.update(p["name"] for p in operation.get("parameters", [])
                             if p.get("required") and p.get("in") in _PARAMETER_PLACES and p["name"] != "token")
            required[path.lstrip("/")] = frozenset(names)
        if not required:
            raise ValueError("no Web API methods in this OpenAPI document (is it Slack's?)")
        return cls({**NEWER_METHODS, **required})

    def knows(self, method: str) -> bool:
        return method in self.required

    def check(self, method: str, params: Mapping[str, Any]) -> list[str]:
        """Problems with this call, each a sentence naming the method; empty when it is a valid call."""
        if method not in self.required:
            return [f"{method}: not a Slack Web API method (absent from the OpenAPI description "
                    f"and from NEWER_METHODS)"]
        return [f"{method}: missing required parameter '{name}'"
                for name in sorted(self.required[method]) if params.get(name) in (None, "")]
