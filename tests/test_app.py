"""The composition root: what `create_upline` builds, and that building it is quiet."""

import logging
from pathlib import Path

from bot.app import create_upline
from bot.config import load_config_file
from bot.settings import Settings
from storage.engine import make_engine

REPO = Path(__file__).resolve().parents[1]


def build(tmp_path, **settings):
    config = load_config_file(REPO / "app.yaml").config
    engine = make_engine(f"sqlite:///{tmp_path / 'upline.db'}")
    return create_upline(Settings(**settings), config=config, engine=engine, check_database=False)


def test_starting_with_the_bot_token_in_the_environment_logs_no_bolt_warning(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-from-the-environment")
    with caplog.at_level(logging.WARNING):
        upline = build(tmp_path, bot_token="xoxb-from-the-environment", signing_secret="secret")
    upline.engine.dispose()
    assert [record.getMessage() for record in caplog.records if record.name.startswith("slack_bolt")] == []


def test_bolts_client_calls_the_configured_slack_api_with_the_bot_token(tmp_path):
    upline = build(tmp_path, bot_token="xoxb-upline", signing_secret="secret",
                   slack_api_url="http://127.0.0.1:9/api/")
    upline.engine.dispose()
    client = upline.bolt.client
    assert (client.token, client.base_url) == ("xoxb-upline", "http://127.0.0.1:9/api/")
    assert {type(handler).__name__ for handler in client.retry_handlers} == {
        "AsyncConnectionErrorRetryHandler", "AsyncRateLimitErrorRetryHandler", "AsyncServerErrorRetryHandler"}
