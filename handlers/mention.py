"""`@Upline ask <area> <text>` in a channel or thread does what `/ask` does, and links that thread;
the asker's later reply in the thread ends "waiting on asker".

    @Upline ask nn Is register_forward_hook called under no_grad?
"""

from __future__ import annotations

import logging
import re

from slack_bolt.async_app import AsyncApp

from bot.domain.ticket import Kind
from handlers.deps import Deps
from handlers.opening import open_from_text
from handlers.payloads import event_channel, event_text, event_thread, event_user, message_ts
from handlers.replies import answer_errors, request_reference

log = logging.getLogger(__name__)
LEADING_MENTION = re.compile(r"^\s*<@[UW][A-Z0-9]+>\s*")
VERBS = {"ask": Kind.QUESTION, "escalate": Kind.ESCALATION}
HELP = "Ask me like this: `@Upline ask nn How do I …?` (or `@Upline escalate nn …` for a decision)."


def register(app: AsyncApp, deps: Deps) -> None:
    @app.event("app_mention")
    async def mentioned(ack, event, client):
        await ack()
        user, channel = event_user(event), event_channel(event)
        thread = event_thread(event) or message_ts(event.get("ts"))

        async def say_privately(text: str, blocks: list | None = None) -> None:
            await client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=blocks, thread_ts=thread)

        async def work():
            words = LEADING_MENTION.sub("", event_text(event)).strip()
            verb, _, rest = words.partition(" ")
            kind = VERBS.get(verb.casefold())
            if kind is None or not rest.strip():
                await say_privately(HELP)
                return
            answer = await open_from_text(deps, user=user, kind=kind, text=rest.strip(),
                                          thread=(channel, thread))
            if "blocks" in answer:  # no area found: only the asker sees the picker
                await say_privately(answer["text"], answer["blocks"])
            else:
                await client.chat_postMessage(channel=channel, thread_ts=thread, text=answer["text"])

        await answer_errors(say_privately, work, f"mention by {user}")

    @app.event("message")
    async def thread_reply(ack, event):
        await ack()
        if event.get("subtype") or event.get("bot_id") or not event.get("thread_ts") or not event.get("user"):
            return  # edits, joins and the bot's own posts are not answers
        channel, thread, user = event_channel(event), event_thread(event), event_user(event)
        try:
            await deps.call(deps.tickets.thread_reply, channel, thread, user=user, now=deps.clock.now())
        except Exception:  # nobody to answer: the asker can still press "I answered" in their DM
            log.exception("request %s: could not record a thread reply in %s/%s", request_reference(), channel, thread)
