"""`upline check [FILE]`: validate app.yaml; print the ladder every area's questions climb, and how it decides.

Exit 0 when the file is usable (warnings go to stderr), 1 with every error, each with its line.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta

from bot.config import ConfigError, load_config_file
from bot.config.decisions import decision_settings
from bot.config.ladders import ladder_for
from bot.config.schema import Config
from bot.domain.decision_policy import VotePolicy
from bot.domain.durations import format_duration


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("check", help="validate app.yaml and print each area's ladder")
    parser.add_argument("file", nargs="?", default=None,
                        help="the config to check (default: $UPLINE_CONFIG or ./app.yaml)")
    parser.set_defaults(func=run)


def run(args, out=None, err=None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    path = args.file or os.environ.get("UPLINE_CONFIG", "app.yaml")
    try:
        loaded = load_config_file(path)
    except ConfigError as error:
        count = print_problems(error, err)
        print(f"{path}: {count} error{'s' if count != 1 else ''}; nothing was loaded", file=err)
        return 1
    _print_warnings(loaded.warnings, loaded.source, err)
    out.write(describe_ladders(loaded.config))
    return 0


def print_problems(error: ConfigError, err) -> int:
    """Every problem of a config that did not load, each with its location; returns the error count."""
    for problem in error.problems:
        print(f"{problem.severity}: {problem.located(error.source)}", file=err)
    return len(error.errors)


def _print_warnings(warnings, source: str, err, shown: int = 5) -> None:
    """Every warning but one kind: a freshly imported hierarchy lacks every Slack ID, so those are summed up."""
    unmapped = [warning for warning in warnings if "has no Slack ID" in warning.message]
    others = [warning for warning in warnings if warning not in unmapped]
    for warning in others + (unmapped if len(unmapped) <= shown else unmapped[:shown]):
        print(f"warning: {warning.located(source)}", file=err)
    if len(unmapped) > shown:
        print(f"warning: {source}: {len(unmapped) - shown} more people have no Slack ID and cannot be pinged "
              "until mapped", file=err)


def describe_ladders(config: Config) -> str:
    lines = [f"{config.project}: {len(config.areas)} areas, {len(config.people)} people", ""]
    for area in [*config.areas, None]:
        if area is None:
            lines.append("(no area)  questions that name no area")
        else:
            flags = "  [sunset: not routed to without saying so]" if area.sunset else ""
            lines.append(f"{area.key}  {area.title}{flags}")
        for number, rung in enumerate(ladder_for(config, area.key if area else None), start=1):
            lines.append(f"  {number}. {rung.label}: {', '.join(rung.people)}")
        if area is not None:
            lines.append(_decides(config, area.key))
        lines.append("")
    lines += [f"core  decides by {describe_vote(decision_settings(config).core)}", ""]
    return "\n".join(lines)


def _decides(config: Config, area_key: str) -> str:
    """`  decides by majority, quorum 50%, 7d`, and the core's rule for its matters where the area changes it."""
    settings = decision_settings(config, area_key)
    line = f"  decides by {describe_vote(settings.vote)}"
    if settings.core != decision_settings(config).core:
        line += f"; the core, on its matters, by {describe_vote(settings.core)}"
    return line


def describe_vote(policy: VotePolicy) -> str:
    """`majority, quorum 50%, 7d`: the rule, the share of voters who must vote, and how long the vote is open."""
    # Votes run for days, and `7d` reads better there than format_duration's `1w`.
    days, rest = divmod(policy.duration, timedelta(days=1))
    duration = f"{days}d" if days and not rest else format_duration(policy.duration)
    return f"{policy.rule.value}, quorum {policy.quorum * 100:.3g}%, {duration}"
