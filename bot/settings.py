"""Settings from the environment, as the contract names them (see the README)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

SLACK_API_DEFAULT = "https://slack.com/api/"
_YES, _NO = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


@dataclass(frozen=True)
class Settings:
    bot_token: str | None = None
    signing_secret: str | None = None
    app_token: str | None = None  # set: Socket Mode instead of HTTP
    slack_api_url: str = SLACK_API_DEFAULT
    database_url: str = "sqlite:///upline.db"
    config_path: str = "app.yaml"
    port: int = 3000
    auto_migrate: bool = True  # `upline run` brings the schema to head; UPLINE_AUTO_MIGRATE=0 only checks it
    # Upline paces its calls to Slack's rate limits; UPLINE_SLACK_PACING=0 turns that off, for a Slack
    # stand-in that has none (the throughput benchmark), never for Slack itself.
    slack_pacing: bool = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        port = environ.get("PORT", "3000")
        if not port.isdigit():
            raise ValueError(f"PORT must be a number, not {port!r}")
        api_url = environ.get("SLACK_API_URL") or SLACK_API_DEFAULT
        auto_migrate = (environ.get("UPLINE_AUTO_MIGRATE") or "1").strip().lower()
        if auto_migrate not in _YES + _NO:
            raise ValueError(f"UPLINE_AUTO_MIGRATE must be 1 or 0, not {auto_migrate!r}")
        pacing = (environ.get("UPLINE_SLACK_PACING") or "1").strip().lower()
        if pacing not in _YES + _NO:
            raise ValueError(f"UPLINE_SLACK_PACING must be 1 or 0, not {pacing!r}")
        return cls(
            bot_token=environ.get("SLACK_BOT_TOKEN") or None,
            signing_secret=environ.get("SLACK_SIGNING_SECRET") or None,
            app_token=environ.get("SLACK_APP_TOKEN") or None,
            slack_api_url=api_url if api_url.endswith("/") else api_url + "/",
            database_url=environ.get("DATABASE_URL") or "sqlite:///upline.db",
            config_path=environ.get("UPLINE_CONFIG") or "app.yaml",
            port=int(port),
            auto_migrate=auto_migrate in _YES,
            slack_pacing=pacing in _YES,
        )

    @property
    def socket_mode(self) -> bool:
        return self.app_token is not None

    def missing_for_run(self) -> list[str]:
        """The variables `upline run` cannot start without, in this mode."""
        needed = {"SLACK_BOT_TOKEN": self.bot_token}
        if self.socket_mode:
            needed["SLACK_APP_TOKEN"] = self.app_token
        else:
            needed["SLACK_SIGNING_SECRET"] = self.signing_secret
        return [name for name, value in needed.items() if not value]
