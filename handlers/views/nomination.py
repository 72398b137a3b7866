"""A nomination on the core's slate, and the DM that asks a module's maintainers about the nominee — the
two nomination messages with buttons, kept and updated in place at every change.

The slate message, one per nomination, in the core's channel (else each core maintainer's DM):

    :busts_in_silhouette: Nomination #41 · nn
    *Kshitij Kalambarkar* — add to the nn maintainers
    *Nominated by*
    Alban Desmaison:
    > Reviews most nn PRs
    On the slate: ask the nn maintainers, desk-reject it, or call the vote.
    [Ask the maintainers] [Desk-reject] [Call the vote]

A review's suggestion reads "*Mikayla* — suggested for emeritus in nn: inactive since 2025-01-06". Once
the maintainers are asked it shows who has answered (and whether they support it) and offers Desk-reject
and Call the vote; once the vote is called it names the decision; closed, its outcome, without buttons.

The asked maintainer's DM:

    :mag: Nomination #41: what do you know of Kshitij Kalambarkar?
    @mikayla — the core is deciding whether to add Kshitij Kalambarkar to the nn maintainers, and asks
    you by Thu 3 Dec at 09:00: … the depth and breadth of their contributions, testimonials, support.
    [Answer]

Its button goes once they have answered or the request closed.
"""

from __future__ import annotations

from bot.config.schema import Config
from bot.domain.nomination_record import CORE, Action, Nomination, State
from bot.domain.ticket import SYSTEM
from handlers.views.blocks import context, fit, header, quoted, section
from handlers.views.nomination_actions import ANSWER, ASK_MAINTAINERS, CALL_VOTE, DESK_REJECT, START_REMOVAL
from handlers.views.text import escape, mention, when
from handlers.views.ticket_actions import button

QUESTIONS = ("• the *depth* of their code, review and design contributions\n"
             "• the *breadth* of their contributions\n"
             "• *testimonials*: their interactions with maintainers, users and the community, good and bad\n"
             "• whether you *support* the nomination")
REASON_ROOM = 600  # of each nominator's reason on the slate; the whole is in `/status #N`


def who(config: Config, person: str) -> str:
    """A person by name, without pinging them: `people` by their name, anyone else by their Slack mention."""
    if person == SYSTEM:
        return "The review"
    if person in config.people:
        return escape(config.display_name(person))
    return mention(config, person)


def group_of(nomination: Nomination) -> str:
    return "core" if nomination.target == CORE else escape(nomination.target)


def what(nomination: Nomination) -> str:
    """"add to the nn maintainers", "suggested for emeritus in nn", "remove as the lead core maintainer"."""
    group = group_of(nomination)
    if nomination.of_lead:
        return "remove as the lead core maintainer"
    if nomination.action is Action.ADD:
        return f"add to the {group} maintainers"
    if nomination.emeritus:
        since = next((n.reason for n in nomination.nominators if n.by == SYSTEM and n.reason), None)
        return f"suggested for emeritus in {group}" + (f": {escape(since)}" if since else "")
    return f"remove from the {group} maintainers"


def subject(config: Config, nomination: Nomination) -> str:
    return f"*{who(config, nomination.person)}* — {what(nomination)}"


def nominators(config: Config, nomination: Nomination) -> str:
    lines = []
    for nominator in nomination.nominators:
        said = quoted(nominator.reason, REASON_ROOM)[0] if nominator.reason else "_(no reason given)_"
        lines.append(f"{who(config, nominator.by)}:\n{said}")
    return "*Nominated by*\n" + "\n".join(lines)


def slate_text(config: Config, nomination: Nomination) -> str:
    return f"Nomination #{nomination.number}: {who(config, nomination.person)} — {what(nomination)}"


def slate_blocks(config: Config, nomination: Nomination) -> list[dict]:
    """The nomination as the core's slate shows it now, with the buttons its state still allows."""
    blocks = [header(f":busts_in_silhouette: Nomination #{nomination.number} · {group_of(nomination)}"),
              section(subject(config, nomination)), section(fit(nominators(config, nomination)))]
    blocks.append(section(_state(config, nomination)))
    offered = _buttons(nomination)
    if offered:
        value = str(nomination.number)
        blocks.append({"type": "actions", "block_id": f"nomination_slate:{value}",
                       "elements": [button(label, action_id, value, primary=index == len(offered) - 1)
                                    for index, (label, action_id) in enumerate(offered)]})
    return blocks


def _buttons(nomination: Nomination) -> list[tuple[str, str]]:
    # A review's suggestion of emeritus is a removal nobody asked for: its vote is named for what it starts.
    vote = ("Start removal (emeritus)", START_REMOVAL) if nomination.emeritus else ("Call the vote", CALL_VOTE)
    if nomination.state is State.IN_REVIEW:
        return [("Ask the maintainers", ASK_MAINTAINERS), ("Desk-reject", DESK_REJECT), vote]
    if nomination.state is State.ASKED:
        return [("Desk-reject", DESK_REJECT), vote]
    return []


def _state(config: Config, nomination: Nomination) -> str:
    state, group = nomination.state, group_of(nomination)
    if state is State.NOMINATED:
        return "Waits for the next review."
    if state is State.IN_REVIEW:
        vote = "start the removal" if nomination.emeritus else "call the vote"
        return f"On the slate: ask the {group} maintainers, desk-reject it, or {vote}."
    if state is State.ASKED:
        return answers_line(config, nomination)
    if state is State.VOTING:
        return f":ballot_box_with_ballot: #{nomination.decision} votes on it."
    reason = f"\n{quoted(nomination.reason, 2000)[0]}" if nomination.reason else ""
    if state is State.DESK_REJECTED:
        return f":no_entry_sign: *Desk-rejected* by {who(config, nomination.closed_by)}{reason}"
    verdict = "Confirmed" if state is State.CONFIRMED else "Rejected"
    icon = ":white_check_mark:" if state is State.CONFIRMED else ":x:"
    return f"{icon} *{verdict}* by #{nomination.decision}{reason}"


def answers_line(config: Config, nomination: Nomination) -> str:
    """Who was asked, who answered and whether they support it."""
    ask = nomination.ask
    answered = ", ".join(f"{who(config, a.by)} ({'supports' if a.support else 'does not support'})"
                         for a in ask.answers) or "nobody yet"
    waiting = ", ".join(who(config, person) for person in ask.unanswered)
    line = (f"The answers are in ({len(ask.answers)} of {len(ask.people)})" if ask.closed
            else f"The {group_of(nomination)} maintainers are asked, until {when(ask.due_at)}: "
                 f"{len(ask.answers)} of {len(ask.people)} answered")
    line += f"\nAnswered: {answered}"
    return line + (f"\nNot answered: {waiting}" if waiting else "")


# -- the asked maintainer's DM ---------------------------------------------------------------------


def ask_text(config: Config, nomination: Nomination, person: str, *, reminder: bool = False) -> str:
    again = "Reminder: " if reminder else ""
    return (f"{again}Nomination #{nomination.number}: the core asks {mention(config, person)} about "
            f"{who(config, nomination.person)} — {what(nomination)}")


def ask_blocks(config: Config, nomination: Nomination, person: str, *, reminder: bool = False) -> list[dict]:
    """The request for `person`'s answer: the questions, the nominators, and Answer while it waits on them."""
    ask = nomination.ask
    title = f":mag: {'Reminder: ' if reminder else ''}Nomination #{nomination.number}: what do you know of " \
            f"{config.display_name(nomination.person) if nomination.person in config.people else 'the nominee'}?"
    blocks = [header(title), section(subject(config, nomination)), section(fit(nominators(config, nomination)))]
    if asked_of(nomination, person):
        blocks.append(section(f"{mention(config, person)} — {who(config, ask.by)} asks for your view by "
                              f"{when(ask.due_at)}, before the core decides:\n{QUESTIONS}"))
        value = str(nomination.number)
        blocks.append({"type": "actions", "block_id": f"nomination_answer:{value}",
                       "elements": [button("Answer", ANSWER, value, primary=True)]})
    elif ask is not None and any(answer.by == person for answer in ask.answers):
        blocks.append(section(":white_check_mark: Your answer is in — thank you."))
    else:
        blocks.append(section("This request for information has closed."))
    blocks.append(context(f"`/status #{nomination.number}` shows where the nomination stands."))
    return blocks


def asked_of(nomination: Nomination, person: str) -> bool:
    """`person` may still answer: asked, not yet answered, and the request still open."""
    ask = nomination.ask
    return (nomination.state is State.ASKED and ask is not None and not ask.closed
            and person in ask.unanswered)

