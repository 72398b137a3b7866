"""The ask form (area, kind, question): opened by `/ask` or `/escalate` with no text, or from the area picker."""

from __future__ import annotations

from slack_sdk.models.blocks import InputBlock, Option, PlainTextInputElement, StaticSelectElement
from slack_sdk.models.views import View

from bot.config.schema import Config
from bot.domain.ticket import Kind

CALLBACK_ID = "ask_modal"
NO_AREA = "-"  # the option for "no area": straight to the core maintainers
MAX_OPTIONS = 100  # Slack's limit for one static select


def area_options(config: Config) -> list[Option]:
    options = [Option(text=(f"{area.key} — {area.title}" if area.name else area.key)[:75], value=area.key)
               for area in config.areas if not area.sunset]
    options = options[: MAX_OPTIONS - 1]
    options.append(Option(text="No area: straight to the core maintainers", value=NO_AREA))
    return options


def ask_modal(config: Config, kind: Kind, *, text: str = "", area: str | None = None) -> dict:
    options = area_options(config)
    initial_area = next((option for option in options if option.value == area), None)
    kinds = [Option(text="Question (day-to-day)", value=Kind.QUESTION.value),
             Option(text="Escalation (a dispute or blocker that needs a decision)", value=Kind.ESCALATION.value)]
    view = View(
        type="modal", callback_id=CALLBACK_ID, title="Ask the maintainers", submit="Ask", close="Cancel",
        blocks=[
            InputBlock(block_id="area", label="Area", element=StaticSelectElement(
                action_id="area", placeholder="Which part of the project?", options=options,
                initial_option=initial_area)),
            InputBlock(block_id="kind", label="Kind", element=StaticSelectElement(
                action_id="kind", options=kinds, initial_option=kinds[0 if kind is Kind.QUESTION else 1])),
            InputBlock(block_id="question", label="Your question", element=PlainTextInputElement(
                action_id="question", multiline=True, max_length=3000, initial_value=text[:3000] or None)),
        ],
    )
    return view.to_dict()
