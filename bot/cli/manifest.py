"""`upline manifest --url https://host [--socket-mode]`: print the Slack app manifest for this config.

    $ upline manifest --url https://upline.example.org > manifest.yaml
    $ upline manifest --socket-mode > manifest.yaml      (no public URL: Upline dials out to Slack)

Paste it at api.slack.com/apps → "Create New App" → "From a manifest". The commands and events are
the ones the handlers register, the scopes those that they and the Web API calls in the code need;
each scope is followed by why it is asked for.
"""

from __future__ import annotations

import ast
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from slack_sdk import WebClient

import bot
import handlers
from bot.app import create_upline
from bot.cli.run import load_config_or_report
from bot.manifest import ListenerRecorder, ManifestError, Registered, build_manifest, render
from bot.settings import Settings
from storage.engine import make_engine


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("manifest", help="print the Slack app manifest (YAML) for this Upline")
    parser.add_argument("--url", metavar="URL", default=None,
                        help="the public https address Slack sends requests to (Upline serves /slack/events)")
    parser.add_argument("--socket-mode", action="store_true",
                        help="for Socket Mode (SLACK_APP_TOKEN): no request URLs")
    parser.add_argument("--config", metavar="FILE", default=None,
                        help="the config (default: $UPLINE_CONFIG or ./app.yaml)")
    parser.set_defaults(func=run)


def run(args, out=None, err=None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    config = load_config_or_report(args.config or os.environ.get("UPLINE_CONFIG") or "app.yaml", err)
    if config is None:
        return 1
    # A throwaway Upline, so the handlers register with the same deps as under `upline run`; nothing
    # connects to Slack, and the in-memory database is never opened.
    upline = create_upline(Settings(bot_token="xoxb-manifest", signing_secret="manifest"), config=config,
                           engine=make_engine("sqlite://"), check_database=False)
    try:
        manifest = build_manifest(record_listeners(handlers.Deps.of(upline)), config, url=args.url,
                                  socket_mode=args.socket_mode, methods=called_methods(app_sources()))
    except ManifestError as error:
        print(f"error: {error}", file=err)
        return 1
    finally:
        upline.stop()
    out.write(render(manifest))
    return 0


def record_listeners(deps: handlers.Deps) -> Registered:
    """Run every feature's `register(app, deps)` against a recorder instead of the Bolt app."""
    recorder = ListenerRecorder()
    handlers.register_all(recorder, deps)  # type: ignore[arg-type]
    return recorder.registered


def app_sources() -> list[Path]:
    """Where Upline's own Slack calls are written: handlers/ and bot/, but not the Slack stand-in."""
    package = Path(bot.__file__).resolve().parent
    return [Path(handlers.__file__).resolve().parent,
            *(path for path in package.iterdir() if path.is_dir() and path.name != "sandbox"),
            *package.glob("*.py")]


def called_methods(roots: Iterable[Path]) -> set[str]:
    """The Web API methods the Python files under `roots` call, by slack_sdk's name (`chat_postMessage`)."""
    known = {name for name in vars(WebClient) if not name.startswith("_")}  # its class body: the Web API
    found: set[str] = set()
    for root in roots:
        for path in [root] if root.is_file() else sorted(root.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
                if isinstance(node, ast.Attribute) and node.attr in known:
                    found.add(node.attr)
                elif (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "api_call" and node.args
                      and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                    found.add(node.args[0].value.replace(".", "_"))  # client.api_call("chat.postMessage")
    return found - {"api_call"}
