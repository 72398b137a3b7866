"""The Slack Web API stand-in, driven by the real slack_sdk clients over real HTTP, as Upline drives it."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.sandbox.slack_api import OpenApiCatalog, SlackApiServer, Workspace

SLACK_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "slack"
SPEC = SLACK_DATA / "slack_web_openapi_v2_without_examples.json"
needs_spec = pytest.mark.skipif(not SPEC.exists(), reason=f"Slack's OpenAPI description is not at {SPEC}")

SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "*#1* How do I register a forward hook?"}}
MODAL = {"type": "modal", "title": {"type": "plain_text", "text": "Ask"}, "blocks": [SECTION]}
HOME = {"type": "home", "blocks": [SECTION]}


class HandMovedMonotonic:
    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


@pytest.fixture
def monotonic() -> HandMovedMonotonic:
    return HandMovedMonotonic()


@pytest.fixture
def workspace(monotonic) -> Workspace:
    ws = Workspace(app_token="xapp-1-sandbox", socket_mode_url="ws://127.0.0.1:9/link", monotonic=monotonic)
    ws.add_user("U0ALICE", "alice", real_name="Alice Liddell", tz="Europe/London")
    ws.add_user("U0BOB", "bob")
    ws.add_channel("C0NN", "nn")
    return ws


@pytest.fixture(scope="module")
def server():
    with SlackApiServer(openapi=OpenApiCatalog.load(SPEC) if SPEC.exists() else None) as running:
        yield running


@pytest.fixture
def slack(server, workspace):
    server.use(workspace)
    yield server
    # Every call the tests make is a valid one unless a test says otherwise (and clears the list).
    assert workspace.contract_violations == []


@pytest.fixture
def client(slack) -> WebClient:
    return WebClient(token=slack.workspace.bot_token, base_url=slack.base_url)


def slack_error(call, *args, **kwargs) -> SlackApiError:
    with pytest.raises(SlackApiError) as raised:
        call(*args, **kwargs)
    return raised.value


def test_auth_test_names_the_bot_user(client, workspace):
    answer = client.auth_test()
    assert (answer["user_id"], answer["bot_id"], answer["team_id"]) == ("U0UPLINE", "B0UPLINE", "T0UPLINE")
    assert answer["url"].startswith("http://127.0.0.1:")


def test_posted_message_is_answered_with_channel_ts_and_message_and_kept(client, workspace):
    answer = client.chat_postMessage(channel="C0NN", text="#1 question", blocks=[SECTION])
    assert answer["channel"] == "C0NN"
    assert answer["message"]["blocks"] == [SECTION] and answer["message"]["bot_id"] == "B0UPLINE"
    [kept] = workspace.messages("C0NN")
    assert (kept.ts, kept.text, kept.user) == (answer["ts"], "#1 question", "U0UPLINE")


def test_timestamps_are_unique_and_increasing_within_one_microsecond():
    ws = Workspace(wall_clock=lambda: 1_700_000_000.0001)
    ws.add_channel("C1", "general")
    stamps = [ws.post_message("C1", ws.bot_user_id, text=str(n)).ts for n in range(3)]
    assert stamps == ["1700000000.000100", "1700000000.000101", "1700000000.000102"]


def test_reply_in_thread_is_listed_under_its_parent_not_in_the_channel(client):
    parent = client.chat_postMessage(channel="C0NN", text="#1 question")
    reply = client.chat_postMessage(channel="C0NN", text="acknowledged", thread_ts=parent["ts"])
    assert reply["message"]["thread_ts"] == parent["ts"]
    thread = client.conversations_replies(channel="C0NN", ts=parent["ts"])["messages"]
    assert [m["text"] for m in thread] == ["#1 question", "acknowledged"]
    assert thread[0]["reply_count"] == 1
    assert [m["text"] for m in client.conversations_history(channel="C0NN")["messages"]] == ["#1 question"]


def test_update_replaces_text_keeps_blocks_and_marks_edited(client, workspace):
    posted = client.chat_postMessage(channel="C0NN", text="#1 open", blocks=[SECTION])
    answer = client.chat_update(channel="C0NN", ts=posted["ts"], text="#1 acknowledged")
    assert answer["ts"] == posted["ts"] and answer["text"] == "#1 acknowledged"
    message = workspace.message("C0NN", posted["ts"])
    assert message.blocks == [SECTION] and message.edited["user"] == "U0UPLINE"


def test_update_of_unknown_or_someone_elses_message_is_refused(client, workspace):
    human = workspace.post_message("C0NN", "U0ALICE", text="my question")
    assert slack_error(client.chat_update, channel="C0NN", ts="1.000001", text="x").response["error"] \
        == "message_not_found"
    assert slack_error(client.chat_update, channel="C0NN", ts=human.ts, text="x").response["error"] \
        == "cant_update_message"


def test_a_user_id_as_channel_posts_to_their_dm(client):
    answer = client.chat_postMessage(channel="U0ALICE", text="you are on call")
    assert answer["channel"].startswith("D")
    assert client.conversations_open(users="U0ALICE")["channel"]["id"] == answer["channel"]


@pytest.mark.parametrize(("arguments", "error"), [
    pytest.param({"channel": "C0NN"}, "no_text", marks=pytest.mark.filterwarnings("ignore:The top-level `text`")),
    ({"channel": "C0NOPE", "text": "hi"}, "channel_not_found"),
    ({"channel": "U0NOBODY", "text": "hi"}, "channel_not_found"),
    ({"channel": "C0NN", "text": "x" * 40_001}, "msg_too_long"),
    ({"channel": "C0NN", "text": "#1", "blocks": [SECTION] * 51}, "invalid_blocks"),
    ({"channel": "C0NN", "text": "#1", "blocks": [{"text": "no type"}]}, "invalid_blocks"),
    ({"channel": "C0NN", "text": "#1", "blocks": "[{not json"}, "invalid_blocks_format"),
])
def test_bad_posts_get_slacks_error(client, arguments, error):
    assert slack_error(client.chat_postMessage, **arguments).response["error"] == error


def test_ephemeral_reaches_one_user_and_stays_out_of_the_channel(client, workspace):
    answer = client.chat_postEphemeral(channel="C0NN", user="U0ALICE", text="only you see this")
    [ephemeral] = workspace.ephemerals("U0ALICE")
    assert ephemeral.message_ts == answer["message_ts"] and ephemeral.text == "only you see this"
    assert workspace.messages("C0NN") == []


def test_ephemeral_to_someone_outside_a_dm_is_user_not_in_channel(client):
    dm = client.conversations_open(users="U0ALICE")["channel"]["id"]
    error = slack_error(client.chat_postEphemeral, channel=dm, user="U0BOB", text="hi")
    assert error.response["error"] == "user_not_in_channel"


def test_permalink_points_at_the_stand_in(client, slack, workspace):
    ts = client.chat_postMessage(channel="C0NN", text="#1")["ts"]
    permalink = client.chat_getPermalink(channel="C0NN", message_ts=ts)["permalink"]
    assert permalink == f"{slack.origin}/archives/C0NN/p{ts.replace('.', '')}"
    assert workspace.permalinks[permalink] == ("C0NN", ts)


def test_conversations_open_gives_one_stable_dm_per_user(client):
    first = client.conversations_open(users="U0ALICE")
    again = client.conversations_open(users="U0ALICE")
    assert first["channel"]["id"] == again["channel"]["id"] != client.conversations_open(users="U0BOB")["channel"]["id"]
    assert again["already_open"] is True
    info = client.conversations_info(channel=first["channel"]["id"])["channel"]
    assert info["is_im"] is True and info["user"] == "U0ALICE"


def test_users_info_and_list(client):
    alice = client.users_info(user="U0ALICE")["user"]
    assert (alice["real_name"], alice["tz"], alice["is_bot"]) == ("Alice Liddell", "Europe/London", False)
    assert {u["id"] for u in client.users_list()["members"]} == {"U0UPLINE", "U0ALICE", "U0BOB"}
    assert slack_error(client.users_info, user="U0NOBODY").response["error"] == "user_not_found"


def test_history_is_newest_first_and_paginates_with_cursors(client):
    for n in range(3):
        client.chat_postMessage(channel="C0NN", text=f"#{n}")
    first = client.conversations_history(channel="C0NN", limit=2)
    rest = client.conversations_history(channel="C0NN", limit=2, cursor=first["response_metadata"]["next_cursor"])
    assert [m["text"] for m in first["messages"] + rest["messages"]] == ["#2", "#1", "#0"]
    assert first["has_more"] and not rest["has_more"]


def test_views_publish_keeps_one_home_per_user_and_refuses_a_stale_hash(client, workspace):
    first = client.views_publish(user_id="U0ALICE", view=HOME)["view"]
    second = client.views_publish(user_id="U0ALICE", view=HOME, hash=first["hash"])["view"]
    assert second["id"] == first["id"] and workspace.home("U0ALICE").hash == second["hash"]
    error = slack_error(client.views_publish, user_id="U0ALICE", view=HOME, hash=first["hash"])
    assert error.response["error"] == "hash_conflict"


def test_views_open_needs_a_trigger_used_once_within_three_seconds(client, workspace, monotonic):
    trigger = workspace.issue_trigger("U0ALICE")
    monotonic.seconds += 2.9
    view = client.views_open(trigger_id=trigger, view=MODAL)["view"]
    assert [v.id for v in workspace.modal_stack("U0ALICE")] == [view["id"]] and view["id"].startswith("V")
    assert slack_error(client.views_open, trigger_id=trigger, view=MODAL).response["error"] == "exchanged_trigger_id"
    late = workspace.issue_trigger("U0ALICE")
    monotonic.seconds += 3.1
    assert slack_error(client.views_open, trigger_id=late, view=MODAL).response["error"] == "expired_trigger_id"
    assert slack_error(client.views_open, trigger_id="1.2.abc", view=MODAL).response["error"] == "invalid_trigger_id"


def test_views_update_and_push_follow_the_modal_stack(client, workspace):
    root = client.views_open(trigger_id=workspace.issue_trigger("U0ALICE"), view={**MODAL, "external_id": "ask-1"})
    updated = client.views_update(external_id="ask-1", view={**MODAL, "callback_id": "ask"})["view"]
    assert updated["id"] == root["view"]["id"] and updated["callback_id"] == "ask"
    for _ in range(2):
        pushed = client.views_push(trigger_id=workspace.issue_trigger("U0ALICE"), view=MODAL)["view"]
    assert pushed["root_view_id"] == root["view"]["id"] and len(workspace.modal_stack("U0ALICE")) == 3
    error = slack_error(client.views_push, trigger_id=workspace.issue_trigger("U0ALICE"), view=MODAL)
    assert error.response["error"] == "push_limit_reached"
    assert slack_error(client.views_update, view_id="V0NOPE", view=MODAL).response["error"] == "not_found"


def test_a_modal_without_title_is_invalid_arguments(client, workspace):
    error = slack_error(client.views_open, trigger_id=workspace.issue_trigger("U0ALICE"), view={"type": "modal",
                                                                                               "blocks": []})
    assert error.response["error"] == "invalid_arguments"
    assert "json-pointer:/view/title" in error.response["response_metadata"]["messages"][0]


@pytest.mark.parametrize(("token", "error"), [
    (None, "not_authed"), ("xoxb-forged", "invalid_auth"), ("xapp-1-sandbox", "not_allowed_token_type"),
])
def test_bot_methods_need_the_bot_token(slack, token, error):
    assert slack_error(WebClient(token=token, base_url=slack.base_url).auth_test).response["error"] == error


def test_apps_connections_open_needs_the_app_level_token(slack, client):
    app_client = WebClient(token="xapp-1-sandbox", base_url=slack.base_url)
    assert app_client.apps_connections_open(app_token="xapp-1-sandbox")["url"] == "ws://127.0.0.1:9/link"
    assert slack_error(client.api_call, "apps.connections.open").response["error"] == "not_allowed_token_type"
    forged = WebClient(token="xapp-forged", base_url=slack.base_url)
    assert slack_error(forged.api_call, "apps.connections.open").response["error"] == "invalid_auth"


def test_unknown_method_is_404_unknown_method(client, workspace):
    error = slack_error(client.api_call, "chat.postMessages", params={"channel": "C0NN", "text": "hi"})
    assert (error.response.status_code, error.response["error"]) == (404, "unknown_method")
    if SPEC.exists():
        [violation] = workspace.contract_violations
        assert violation.startswith("chat.postMessages: not a Slack Web API method")
        workspace.contract_violations.clear()


def test_rate_limit_answers_429_with_retry_after_then_recovers(client, workspace):
    workspace.fail_next("chat.postMessage", status=429, retry_after=3)
    error = slack_error(client.chat_postMessage, channel="C0NN", text="#1")
    assert error.response.status_code == 429 and error.response.headers["retry-after"] == "3"
    assert error.response["error"] == "ratelimited"
    assert client.chat_postMessage(channel="C0NN", text="#1")["ok"]


def test_slack_sdk_rate_limit_handler_waits_and_succeeds(slack, workspace):
    workspace.fail_next("chat.postMessage", status=429, retry_after=1, times=1)
    patient = WebClient(token=workspace.bot_token, base_url=slack.base_url,
                        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)])
    assert patient.chat_postMessage(channel="C0NN", text="#1")["ok"]
    assert [c.status for c in slack.calls] == [429, 200]
    assert len(workspace.messages("C0NN")) == 1


@pytest.mark.parametrize(("status", "body"), [(500, None), (503, "")])
def test_server_errors_have_no_json_body(client, workspace, status, body):
    workspace.fail_next("chat.update", status=status, body=body)
    error = slack_error(client.chat_update, channel="C0NN", ts="1.000001", text="x")
    assert error.response.status_code == status and error.response["ok"] is False


def test_a_fault_can_be_a_slack_error_at_http_200(client, workspace):
    workspace.fail_next("auth.test", status=200, error="account_inactive")
    error = slack_error(client.auth_test)
    assert (error.response.status_code, error.response["error"]) == (200, "account_inactive")


def test_calls_are_recorded_in_order_with_decoded_params(client, slack):
    client.chat_postMessage(channel="C0NN", text="#1", blocks=[SECTION])
    client.auth_test()
    posted, authed = slack.calls
    assert (posted.method, posted.params["blocks"], posted.token) == ("chat.postMessage", [SECTION],
                                                                      "xoxb-upline-sandbox")
    assert authed.method == "auth.test"


def test_get_with_query_parameters_and_json_bodies_are_understood(client, slack):
    request = urllib.request.Request(f"{slack.base_url}users.info?user=U0BOB",
                                     headers={"Authorization": "Bearer xoxb-upline-sandbox"})
    with urllib.request.urlopen(request) as response:
        assert json.load(response)["user"]["name"] == "bob"
    answer = client.api_call("chat.postMessage", json={"channel": "C0NN", "text": "from JSON"})
    assert answer["message"]["text"] == "from JSON"


def test_async_client_works_too(slack, workspace):
    async def post() -> str:
        client = AsyncWebClient(token=workspace.bot_token, base_url=slack.base_url)
        return (await client.chat_postMessage(channel="C0NN", text="#1 async"))["ts"]

    assert workspace.message("C0NN", asyncio.run(post())).text == "#1 async"


def test_listeners_hear_every_change(client, workspace):
    heard = []
    unsubscribe = workspace.subscribe(heard.append)
    ts = client.chat_postMessage(channel="C0NN", text="#1")["ts"]
    client.chat_update(channel="C0NN", ts=ts, text="#1 acked")
    client.chat_postEphemeral(channel="C0NN", user="U0BOB", text="psst")
    client.views_publish(user_id="U0BOB", view=HOME)
    unsubscribe()
    client.chat_postMessage(channel="C0NN", text="#2")
    assert [c.kind for c in heard] == ["message_posted", "message_updated", "ephemeral_posted", "home_published"]
    assert (heard[0].channel, heard[0].ts) == ("C0NN", ts)


@needs_spec
def test_a_call_missing_a_required_parameter_is_recorded_as_a_contract_violation(client, workspace):
    with pytest.raises(SlackApiError):
        client.api_call("chat.postEphemeral", params={"channel": "C0NN", "text": "for whom?"})
    assert workspace.contract_violations == ["chat.postEphemeral: missing required parameter 'user'"]
    workspace.contract_violations.clear()


@needs_spec
def test_slacks_openapi_description_loads():
    catalog = OpenApiCatalog.load(SPEC)
    assert len(catalog.required) > 170
    assert catalog.required["chat.postMessage"] == {"channel"}
    assert catalog.required["views.open"] == {"trigger_id", "view"}
    assert catalog.check("apps.connections.open", {}) == []
    assert catalog.check("chat.update", {"channel": "C1", "ts": ""}) == ["chat.update: missing required parameter 'ts'"]


def test_the_server_stops_and_frees_its_port():
    with SlackApiServer() as server:
        url = f"{server.base_url}auth.test"
        with urllib.request.urlopen(url) as response:
            assert json.load(response) == {"ok": False, "error": "not_authed"}
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=2)
