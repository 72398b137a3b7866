"""The HTTP face as Slack and an orchestrator meet it: signatures, Slack's 3 seconds, retries,
`/healthz`, `/metrics`, and a database that stops answering."""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import event, text

from bot.sandbox.signed_requests import SlackRequests
from handlers.replies import DATABASE_DOWN
from tests.slack.conftest import ASKER

QUESTION = "nn How do I register a forward hook on a ModuleList?"
SLACK_ACK_WINDOW = 3.0  # seconds: Slack shows the user an error when the app has not answered by then


def count(world, table: str) -> int:
    with world.upline.engine.connect() as connection:
        return connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()


def nothing_changed(world) -> bool:
    return all(count(world, table) == 0 for table in ("tickets", "events", "outbox", "processed_events"))


def mention(text: str, *, channel: str = "C0GENERAL") -> dict:
    return {"type": "app_mention", "user": ASKER, "text": f"<@U0UPLINE> {text}", "ts": f"{time.time():.6f}",
            "channel": channel, "event_ts": f"{time.time():.6f}"}


def test_a_forged_signature_is_refused_and_changes_nothing(world):
    forged = SlackRequests("not-the-signing-secret").command("/ask", QUESTION, user=ASKER)
    response = world.send(forged)
    assert response.status_code == 401
    assert nothing_changed(world)
    assert world.workspace.calls == []  # not even auth.test: nothing ran


def test_a_body_changed_after_signing_is_refused(world):
    signed = world.requests.command("/ask", QUESTION, user=ASKER)
    response = world.http.post(f"{world.server.url}/slack/events", headers=signed.headers,
                               content=signed.body.replace(b"nn+How", b"cuda+How"))
    assert response.status_code == 401
    assert nothing_changed(world)


def test_a_stale_timestamp_is_refused_even_when_signed_right(world):
    six_minutes_ago = int(time.time()) - 6 * 60  # a replayed request: Slack's limit is five minutes
    response = world.send(world.requests.command("/ask", QUESTION, user=ASKER, timestamp=six_minutes_ago))
    assert response.status_code == 401
    assert nothing_changed(world)
    assert world.workspace.calls == []


def test_a_valid_ask_is_answered_with_the_ticket_number_within_slacks_three_seconds(world):
    started = time.monotonic()
    response = world.command("/ask", QUESTION)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert "#1" in response.text
    assert elapsed < SLACK_ACK_WINDOW
    assert count(world, "tickets") == 1


def test_asks_arriving_together_each_answer_with_the_number_of_their_own_ticket(world):
    questions = [f"nn Question number {n}: how do hooks compose?" for n in range(12)]
    signed = [world.requests.command("/ask", question, user=ASKER) for question in questions]
    with ThreadPoolExecutor(max_workers=len(signed)) as pool:  # all in flight at once: they share commits
        answers = list(pool.map(world.send, signed))
    assert all(answer.status_code == 200 for answer in answers)
    numbers = [int(re.search(r"\*#(\d+)\*", answer.text).group(1)) for answer in answers]
    assert sorted(numbers) == list(range(1, 13))
    with world.upline.engine.connect() as connection:
        stored = dict(connection.execute(text("SELECT id, text FROM tickets")).all())
    for question, number in zip(questions, numbers, strict=True):
        assert stored[number] == question.removeprefix("nn ")


def test_healthz_says_why_until_the_loops_have_run(world):
    response = world.http.get(f"{world.server.url}/healthz")
    assert response.status_code == 503
    assert "the sweeper has not run recently" in response.text
    assert "the outbox has not run recently" in response.text

    world.upline.start(world.server.loop)
    deadline = time.monotonic() + 10
    while (response := world.http.get(f"{world.server.url}/healthz")).status_code != 200:
        assert time.monotonic() < deadline, response.text
        time.sleep(0.02)
    assert response.text == "ok\n"


def test_metrics_count_an_opened_ticket_by_area(world):
    world.command("/ask", QUESTION)
    world.command("/escalate", "nn The hook API change breaks our users; we need a decision")
    metrics = world.http.get(f"{world.server.url}/metrics")
    assert metrics.status_code == 200
    assert 'upline_tickets_opened_total{area="nn",kind="question"} 1.0' in metrics.text
    assert 'upline_tickets_opened_total{area="nn",kind="escalation"} 1.0' in metrics.text
    assert 'upline_outbox_depth{status="pending"}' in metrics.text
    assert 'upline_http_request_seconds_count{path="/slack/events"} 2.0' in metrics.text


def test_a_database_that_does_not_answer_tells_the_user_to_retry(world):
    engine = world.upline.engine
    with _database_down(engine):
        response = world.command("/ask", QUESTION)
        health = world.http.get(f"{world.server.url}/healthz")
    assert response.status_code == 200  # an answer the user reads, not Slack's "failed with the error"
    assert response.text == DATABASE_DOWN
    assert health.status_code == 503 and "the database does not answer" in health.text
    assert nothing_changed(world)
    assert not [call for call in world.workspace.calls if call.method != "auth.test"]

    retried = world.command("/ask", QUESTION)
    assert "opened in *nn*" in retried.text and count(world, "tickets") == 1


def test_a_database_lost_in_the_middle_of_opening_a_ticket_leaves_nothing_half_done(world):
    def lose_connection_at_the_outbox(connection, cursor, statement, *args):
        if statement.lstrip().upper().startswith("INSERT INTO OUTBOX"):  # the ticket row is already written
            raise connection.dialect.loaded_dbapi.OperationalError("server closed the connection unexpectedly")

    event.listen(world.upline.engine, "before_cursor_execute", lose_connection_at_the_outbox)
    try:
        response = world.command("/ask", QUESTION)
    finally:
        event.remove(world.upline.engine, "before_cursor_execute", lose_connection_at_the_outbox)
    assert response.text == DATABASE_DOWN
    assert nothing_changed(world)  # the ticket and its events rolled back with the failed outbox row

    world.deliver()
    assert not world.calls("chat.postMessage")  # nobody was pinged about a ticket that does not exist


def test_an_event_retried_with_the_same_event_id_is_processed_once(world):
    payload = mention("ask nn Is register_forward_hook called under no_grad?")
    first = world.send(world.requests.event(payload, event_id="Ev0RETRY1"))
    retry = world.send(world.requests.event(payload, event_id="Ev0RETRY1", retry=1))
    again = world.send(world.requests.event(payload, event_id="Ev0RETRY1", retry=2))
    assert [first.status_code, retry.status_code, again.status_code] == [200, 200, 200]
    assert count(world, "tickets") == 1
    assert count(world, "processed_events") == 1
    confirmations = [call for call in world.calls("chat.postMessage") if call.params.get("channel") == "C0GENERAL"]
    assert len(confirmations) == 1 and "#1" in confirmations[0].params["text"]


def test_a_different_event_id_is_a_different_event(world):
    world.send(world.requests.event(mention("ask nn First question about hooks?"), event_id="Ev0ONE"))
    world.send(world.requests.event(mention("ask nn Second question about hooks?"), event_id="Ev0TWO"))
    assert count(world, "tickets") == 2


# -- helpers ---------------------------------------------------------------------------------------


class _database_down:
    """Every new connection fails, and the pooled ones are closed: as when the server is gone."""

    def __init__(self, engine):
        self.engine = engine

    def _refuse(self, dialect, record, cargs, cparams):
        raise dialect.loaded_dbapi.OperationalError("could not connect to server: Connection refused")

    def __enter__(self):
        self.engine.dispose()
        event.listen(self.engine, "do_connect", self._refuse)
        return self

    def __exit__(self, *exc_info):
        event.remove(self.engine, "do_connect", self._refuse)

