"""`Upline.reload_config`: an edited app.yaml serves new tickets, open tickets keep their promises,
and a broken edit is refused with the old config kept."""

from datetime import UTC, datetime, timedelta
from textwrap import dedent

import pytest
from sqlalchemy import select

import handlers
from bot.app import create_upline
from bot.clock import FakeClock
from bot.domain.ticket import Kind
from bot.settings import Settings
from storage.engine import make_engine
from storage.migrate import upgrade
from storage.tables import OutboxRow

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday


def app_yaml(nn: str = "nn1, nn2", ack: str = "1d") -> str:
    return dedent(f"""\
        project: Acme
        lead: lead
        core: {{maintainers: [core1, core2]}}
        sla:
          question: {{ack: {ack}, resolve: 7d}}
          reminders: [0.5]
        areas:
          - key: nn
            maintainers: [{nn}]
        people:
          lead: {{slack: U0LEAD}}
          core1: {{slack: U0CORE1}}
          core2: {{slack: U0CORE2}}
          nn1: {{slack: U0NN1}}
          nn2: {{slack: U0NN2}}
          nn3: {{slack: U0NN3}}
        """)


@pytest.fixture
def config_file(tmp_path):
    path = tmp_path / "app.yaml"
    path.write_text(app_yaml(), encoding="utf-8")
    return path


@pytest.fixture
def clock():
    return FakeClock(NOW)


@pytest.fixture
def upline(tmp_path, config_file, clock):
    url = f"sqlite:///{tmp_path / 'upline.db'}"
    upgrade(url)
    built = create_upline(Settings(bot_token="xoxb-test", signing_secret="secret", config_path=str(config_file)),
                          clock=clock, engine=make_engine(url), check_database=False)
    yield built
    built.engine.dispose()


def ask(upline, text: str = "How do I register a forward hook?"):
    return upline.tickets.open(asker="U0ASKER", kind=Kind.QUESTION, area="nn", text=text, now=upline.clock.now())


def pinged(outcome) -> list[str]:
    [ping] = [notice for notice in outcome.notices if notice.kind == "ping"]
    return list(ping.to)


def reminders_for(upline, ticket_id: int) -> list[list[str]]:
    with upline.unit_of_work(read_only=True) as uow:
        rows = uow.session.scalars(select(OutboxRow).where(OutboxRow.kind == "reminder",
                                                           OutboxRow.ticket_id == ticket_id))
        return [row.payload["to"] for row in rows]


def test_a_reload_pings_a_maintainer_added_to_the_area_on_a_new_ticket(upline, config_file, clock):
    assert pinged(ask(upline)) == ["nn1", "nn2"]
    config_file.write_text(app_yaml(nn="nn1, nn2, nn3"), encoding="utf-8")
    clock.advance(timedelta(minutes=5))

    assert upline.reload_config(config_file) == []

    assert pinged(ask(upline)) == ["nn1", "nn2", "nn3"]
    assert upline.config.area("nn").maintainers == ["nn1", "nn2", "nn3"]
    assert upline.config_loaded_at == NOW + timedelta(minutes=5)


def test_without_a_path_it_reloads_the_file_it_started_with(upline, config_file):
    config_file.write_text(app_yaml(nn="nn3"), encoding="utf-8")
    assert upline.reload_config() == []
    assert pinged(ask(upline)) == ["nn3"]


def test_an_open_ticket_keeps_its_policy_and_climbs_the_new_ladder(upline, config_file, clock):
    """The policy is the ticket's own (copied when it opened); the ladder is the hierarchy as it is now."""
    open_one = ask(upline).ticket
    config_file.write_text(app_yaml(nn="nn1, nn2, nn3", ack="2h"), encoding="utf-8")
    assert upline.reload_config(config_file) == []
    new_one = ask(upline).ticket
    assert (new_one.policy.ack, upline.tickets.timeline(open_one.id)[0].policy.ack) == (
        timedelta(hours=2), timedelta(days=1))

    clock.advance(timedelta(hours=3))  # past the new ack window, well inside the one #1 was promised
    upline.tickets.sweep_due(clock.now())
    assert upline.tickets.timeline(open_one.id)[0].level == "area:nn"
    assert upline.tickets.timeline(new_one.id)[0].level == "core"

    clock.advance(timedelta(hours=9))  # half of #1's day: its reminder, to its rung as the config has it now
    upline.tickets.sweep_due(clock.now())
    assert reminders_for(upline, open_one.id) == [["nn1", "nn2", "nn3"]]

    acknowledged = upline.tickets.acknowledge(open_one.id, by="U0NN3", now=clock.now())
    assert acknowledged.ticket.acknowledged_by == "nn3"


def test_a_maintainer_removed_can_no_longer_acknowledge_an_open_ticket(upline, config_file):
    open_one = ask(upline).ticket
    config_file.write_text(app_yaml(nn="nn1"), encoding="utf-8")
    assert upline.reload_config(config_file) == []
    with pytest.raises(Exception, match="Only the nn maintainers"):
        upline.tickets.acknowledge(open_one.id, by="U0NN2", now=upline.clock.now())


def test_a_broken_file_is_refused_with_its_errors_located_and_the_old_config_kept(upline, config_file, clock):
    before, loaded_at = upline.config, upline.config_loaded_at
    config_file.write_text(app_yaml(nn="nn1, nn2, nobody"), encoding="utf-8")
    clock.advance(timedelta(minutes=5))

    problems = upline.reload_config(config_file)

    assert problems == [f"{config_file}:9 areas[0].maintainers[2]: unknown person 'nobody': add them under "
                        "`people:` or use their Slack user ID"]
    assert upline.config is before and upline.config_loaded_at == loaded_at
    assert pinged(ask(upline)) == ["nn1", "nn2"]


def test_a_file_that_cannot_be_read_is_refused(upline, tmp_path):
    before = upline.config
    [problem] = upline.reload_config(tmp_path / "gone.yaml")
    assert problem.startswith(f"{tmp_path / 'gone.yaml'}: cannot read the config")
    assert upline.config is before


def test_handlers_deliveries_and_votes_read_the_reloaded_config(upline, config_file):
    deps = handlers.Deps.of(upline)  # built once, at start, as the Bolt listeners hold it
    config_file.write_text(app_yaml(nn="nn1, nn2, nn3"), encoding="utf-8")
    assert upline.reload_config(config_file) == []

    assert deps.config is upline.config
    assert upline.notifier.config is upline.config
    vote = upline.decisions.call(by="U0NN3", area="nn", proposal="Deprecate nn.Container", now=upline.clock.now())
    assert vote.decision.current.voters == ("nn1", "nn2", "nn3")


def test_the_nominations_and_elections_read_the_reloaded_config(upline, config_file):
    deps = handlers.Deps.of(upline)
    assert deps.elections is upline.elections and deps.nominations is upline.nominations
    config_file.write_text(app_yaml(ack="2d"), encoding="utf-8")
    assert upline.reload_config(config_file) == []
    assert upline.nominations.config is upline.config and upline.elections.config is upline.config
