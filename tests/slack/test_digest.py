"""The weekly digests at the Slack boundary: the clock reaches Monday 09:00 London and the digest is in
#core and in #nn, each once, however many sweeps follow. The demo app.yaml (the world's config)
sends them every Monday at 09:00, Europe/London."""

from datetime import timedelta

from tests.slack.test_copies import dm_channel, roots, visible

CORE, NN = "C0CORE", "C0NN"


def digests(world, channel):
    return [message for message in roots(world, channel) if message.blocks
            and message.blocks[0].get("type") == "header" and "week" in message.blocks[0]["text"]["text"]]


def test_monday_nine_brings_the_digest_to_core_and_to_nn(world):
    world.advance(timedelta(0))  # the first sweep: the digests' first moment is next Monday, not now
    world.command("/ask", "nn How do I <!channel> register a forward hook?")
    world.deliver()
    assert digests(world, CORE) == [] and digests(world, NN) == []
    world.advance(timedelta(days=6, hours=23))
    assert digests(world, CORE) == [] and digests(world, NN) == []
    world.advance(timedelta(hours=1))  # Monday 30 November, 09:00 GMT
    world.advance(timedelta(minutes=5))
    [core] = digests(world, CORE)
    [nn] = digests(world, NN)
    assert core.blocks[0]["text"]["text"].endswith("23 Nov – 30 Nov 2026")
    shown = visible(core)
    assert "*Breached this week*" in shown and "#1 How do I &lt;!channel&gt; register" in shown
    assert "<!channel>" not in shown and "<!channel>" not in visible(nn)
    assert "*Open, oldest first*\n• #1 How do I" in visible(nn)
    assert "Late" not in shown
    # fsdp has no channel: its maintainer has it by DM
    [fsdp] = digests(world, dm_channel(world, "U0WEIFENG"))
    assert fsdp.blocks[0]["text"]["text"].startswith("FSDP (torch.distributed.fsdp) — the week")


def test_a_digest_missed_while_down_comes_once_on_start_marked_late(world):
    world.advance(timedelta(0))
    world.clock.advance(timedelta(weeks=2, hours=3))  # down across two Mondays: nothing swept
    world.advance(timedelta(0))
    world.advance(timedelta(minutes=5))
    [core] = digests(world, CORE)
    assert len(digests(world, NN)) == 1
    assert "Late: this digest was due" in visible(core)
    assert core.blocks[0]["text"]["text"].endswith("30 Nov – 7 Dec 2026")  # the week up to the one it missed
