"""The area picker: what the asker alone sees when Upline cannot tell which area a question is for.

When a word of the question comes close to some areas (`bot.config.routing.close_areas`):

    I could not tell which area this question is for. Did you mean *optim*? …
    [Ask in optim]  [Another area… ▾]  [Open the form…]

When nothing comes close, no area is guessed at:

    I could not tell which area this question is for, and no area comes close to its words. …
    [Pick the area ▾]  [Open the form…]

The list holds every area that is not sunset ("key — name"): one static select of up to 100
options, or option groups of up to 100 each beyond that, as Slack allows.

How each choice gets the question back: a button's value carries it as JSON (up to
BUTTON_VALUE_LIMIT characters; beyond that the buttons are left out). A select option's value holds
at most 150 characters, and a click on an ephemeral message brings back only the chosen option and
its block's ID — not the message — so the question is kept as a draft in the database
(`bot.services.drafts`) and the block's ID carries the draft's token: `ask_pick:<token>`.
"""

from __future__ import annotations

import json

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    MarkdownTextObject,
    Option,
    OptionGroup,
    SectionBlock,
    StaticSelectElement,
)

from bot.config.schema import Area, Config
from bot.domain.ticket import Kind

BUTTON_VALUE_LIMIT = 1900  # a button's value carries the question (Slack allows 2,000 characters)
PICK_AREA = "ask_pick_area"  # + ":<key>", one per close area
PICK_LISTED = "ask_pick_listed"  # the select of every area
PICK_OTHER = "ask_pick_other"  # the ask form, with the question filled in
BLOCK = "ask_pick"  # + ":<draft token>" when the select is there
MAX_OPTIONS = 100  # per select, and per option group
OPTION_VALUE_LIMIT = 150


def area_picker(config: Config, kind: Kind, text: str, close: tuple[str, ...], draft: str | None) -> dict:
    """The picker message: `close` areas as buttons, every area in a select when there is a `draft`."""
    listed = listed_areas(config)
    example = f"`/{'ask' if kind is Kind.QUESTION else 'escalate'} {listed[0].key if listed else 'area'} …`"
    if close:
        names = ", ".join(f"*{key}*" for key in close)
        intro = (f"I could not tell which area this {kind.value} is for. Did you mean {names}? Pick one, "
                 f"or another area from the list, or start with the area: {example}")
    else:
        intro = (f"I could not tell which area this {kind.value} is for, and no area comes close to its words. "
                 f"Pick the area from the list, or start with the area: {example}")
    elements: list = []
    fits = len(text) <= BUTTON_VALUE_LIMIT
    if fits:
        elements += [ButtonElement(text=f"Ask in {key}", action_id=f"{PICK_AREA}:{key}",
                                   value=json.dumps({"area": key, "kind": kind.value, "text": text}))
                     for key in close]
    if draft is not None and listed:
        elements.append(area_select(listed, "Another area…" if close else "Pick the area"))
    if fits:
        elements.append(ButtonElement(text="Open the form…", action_id=PICK_OTHER,
                                      value=json.dumps({"kind": kind.value, "text": text})))
    blocks = [SectionBlock(text=MarkdownTextObject(text=intro))]
    if elements:
        blocks.append(ActionsBlock(block_id=f"{BLOCK}:{draft}" if draft else BLOCK, elements=elements))
    return {"text": intro, "blocks": [block.to_dict() for block in blocks]}


def listed_areas(config: Config) -> list[Area]:
    """The areas a question can be sent to from the list: not sunset, with a key an option can hold."""
    return [area for area in config.areas if not area.sunset and len(area.key) <= OPTION_VALUE_LIMIT]


def area_select(areas: list[Area], placeholder: str) -> StaticSelectElement:
    options = [Option(text=(f"{area.key} — {area.title}" if area.name else area.key)[:75], value=area.key)
               for area in areas]
    if len(options) <= MAX_OPTIONS:
        return StaticSelectElement(action_id=PICK_LISTED, placeholder=placeholder, options=options)
    # More areas than one select holds: groups of up to 100 in key order, each labelled by its range.
    ordered = sorted(options, key=lambda option: option.value.casefold())
    groups = [ordered[start:start + MAX_OPTIONS] for start in range(0, len(ordered), MAX_OPTIONS)]
    return StaticSelectElement(action_id=PICK_LISTED, placeholder=placeholder, option_groups=[
        OptionGroup(label=f"{group[0].value} … {group[-1].value}"[:75], options=group)
        for group in groups[:MAX_OPTIONS]])


def draft_token(block_id: str | None) -> str | None:
    """The draft's token from the select's block ID (`ask_pick:<token>`), or None."""
    prefix, _, token = (block_id or "").partition(":")
    return token if prefix == BLOCK and token else None
