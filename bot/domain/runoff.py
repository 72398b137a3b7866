"""Electing the lead: the instant-runoff count of the core maintainers' ranked ballots.

Each maintainer ranks the candidates, most preferred first, and may rank only some. A name that is not
standing is skipped and a repeated name counts only where it first appears, so a malformed ranking can
never count twice. The count is published round by round:

    Round 1: A 3, B 2, C 1 — C eliminated (fewest votes)
    Round 2: A 3, B 3 — tied in every round and every choice
    Tie between A and B: the core decides by another vote.

Each round, every ballot counts for its highest-ranked candidate still in the count; a ballot that ranks
none of them is *exhausted* and counts for nobody from then on. A candidate with more than half of the
ballots still counting (not exhausted) wins. Otherwise one candidate is eliminated, found this way:
1. the one with the **fewest votes** this round;
2. on a tie for fewest, **look back**: the one with fewer votes in the most recent earlier round where
   the tied candidates' votes differed (round 1 being their first preferences); when that still leaves
   several, look further back among those;
3. when they were level in every round, **later choices**: the one that is second choice (among the
   candidates still in the count) on fewer ballots, then third choice, and so on;
4. when they are level in all of that, all of them are eliminated at once — unless that would eliminate
   everyone left, and then the count ends in a **tie** among them, which the core settles by another
   vote. Nothing is ever decided by lot, by name or by the order in which the ballots arrived.
A count with no ballots, or whose ballots rank nobody standing, ends in a tie among every candidate.

Why not a library: pyrankvote 2.0.6 (the well-known one on PyPI, last released 2022) settles a tie that
survives its second-choice comparison with `random.choice` inside a sort comparator, so the same
ballots can elect different leads; it elects on exactly half the votes (`>= ceil(n / 2)`, so a 3-3 tie
of two candidates elects one of them); it rejects several candidates in one round without saying why,
and raises on a repeated name. pyrcv and votekit also break ties at random (or by Borda score), and
bring numpy and pandas to a Slack bot. The count is small, so it is written here, in whole numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

Ranking = Sequence[str]  # candidate keys, most preferred first


class Basis(StrEnum):
    ROUND = "round"  # votes in an earlier round
    CHOICE = "choice"  # how many ballots have the candidate as their n-th choice among those continuing


@dataclass(frozen=True)
class TieBreak:
    """One step of breaking a tie for fewest: `left` had the fewest by `basis` number `number`."""

    basis: Basis
    number: int
    left: tuple[str, ...]


@dataclass(frozen=True)
class Round:
    number: int
    votes: Mapping[str, int]  # continuing candidate → ballots counting for them, in candidate order
    exhausted: int  # ballots counting for nobody, so far
    eliminated: tuple[str, ...] = ()
    tied: tuple[str, ...] = ()  # tied for fewest votes, when there was such a tie
    steps: tuple[TieBreak, ...] = ()  # how the tie was narrowed down, only the steps that separated someone

    @property
    def counted(self) -> int:
        return sum(self.votes.values())


@dataclass(frozen=True)
class Count:
    candidates: tuple[str, ...]
    ballots: int
    rounds: tuple[Round, ...]
    winner: str | None
    tied: tuple[str, ...]  # the final tie when nobody won; the core decides among them by another vote


def count(candidates: Iterable[str], ballots: Iterable[Ranking]) -> Count:
    """Count the ballots round by round until someone has a majority or the rest cannot be separated."""
    standing = tuple(dict.fromkeys(candidates))
    rankings = [clean(ballot, standing) for ballot in ballots]
    continuing = standing
    rounds: list[Round] = []
    while True:
        votes = choices(rankings, continuing, 1)
        number, exhausted = len(rounds) + 1, len(rankings) - sum(votes.values())
        leader = max(continuing, key=votes.__getitem__, default=None)
        if leader is not None and 2 * votes[leader] > sum(votes.values()):
            rounds.append(Round(number, votes, exhausted))
            return Count(standing, len(rankings), tuple(rounds), leader, ())
        fewest = min(votes.values(), default=0)
        tied = tuple(candidate for candidate in continuing if votes[candidate] == fewest)
        losers, steps = break_tie(tied, rounds, rankings, continuing)
        shown = tied if len(tied) > 1 else ()
        if len(losers) == len(continuing):
            rounds.append(Round(number, votes, exhausted, tied=shown))
            return Count(standing, len(rankings), tuple(rounds), None, losers)
        rounds.append(Round(number, votes, exhausted, losers, shown, steps))
        continuing = tuple(candidate for candidate in continuing if candidate not in losers)


def clean(ballot: Ranking, standing: Sequence[str]) -> tuple[str, ...]:
    """The ranking with names not standing dropped and each candidate kept where it first appears."""
    return tuple(dict.fromkeys(name for name in ballot if name in standing))


def choices(rankings: Iterable[tuple[str, ...]], continuing: Sequence[str], nth: int) -> dict[str, int]:
    """How many ballots have each continuing candidate as their `nth` choice among the continuing."""
    tally = dict.fromkeys(continuing, 0)
    for ranking in rankings:
        still_in = [name for name in ranking if name in tally]
        if len(still_in) >= nth:
            tally[still_in[nth - 1]] += 1
    return tally


def break_tie(tied: tuple[str, ...], earlier: Sequence[Round], rankings: Sequence[tuple[str, ...]],
              continuing: Sequence[str]) -> tuple[tuple[str, ...], tuple[TieBreak, ...]]:
    """Who of the candidates tied for fewest is eliminated (rules 2 to 4), and the steps that said so."""
    left, steps = tied, []
    looks = [(Basis.ROUND, past.number) for past in reversed(earlier)]
    looks += [(Basis.CHOICE, nth) for nth in range(2, len(continuing) + 1)]
    for basis, number in looks:
        if len(left) == 1:
            break
        tally = earlier[number - 1].votes if basis is Basis.ROUND else choices(rankings, continuing, number)
        fewest = min(tally[candidate] for candidate in left)
        narrowed = tuple(candidate for candidate in left if tally[candidate] == fewest)
        if narrowed != left:
            left = narrowed
            steps.append(TieBreak(basis, number, left))
    return left, tuple(steps)


def explain(result: Count, name: Callable[[str], str] = str) -> list[str]:
    """The count in words for publication, a line a round and one for the outcome; `name` shows a key."""
    lines = [round_line(each, name) for each in result.rounds]
    if result.winner is not None:
        last = result.rounds[-1]
        lines.append(f"{name(result.winner)} wins with {last.votes[result.winner]} of {last.counted}")
    elif not result.candidates:
        lines.append("No winner: nobody is standing.")
    elif result.rounds[-1].counted == 0:
        lines.append(f"No winner: no ballot ranks {listed(result.tied, name, 'or')}; the core decides by another vote.")
    else:
        lines.append(f"Tie between {listed(result.tied, name)}: the core decides by another vote.")
    return lines


def round_line(each: Round, name: Callable[[str], str]) -> str:
    parts = [f"{name(candidate)} {votes}" for candidate, votes in each.votes.items()]
    if each.exhausted:
        parts.append(f"exhausted {each.exhausted}")
    line = f"Round {each.number}: {', '.join(parts)}"
    if each.eliminated:
        return f"{line} — {', '.join(map(name, each.eliminated))} eliminated ({why(each, name)})"
    if each.tied and len(each.tied) == len(each.votes):
        return f"{line} — tied in every round and every choice"
    return line


def why(each: Round, name: Callable[[str], str]) -> str:
    """Why the round's candidates were eliminated, in the terms of the module docstring."""
    if not each.tied:
        return "fewest votes"
    fewest = each.votes[each.tied[0]]
    others = [candidate for candidate in each.tied if candidate not in each.eliminated]
    reasons = [f"tied with {', '.join(map(name, others))} on {fewest}"] if others else [f"tied on {fewest}"]
    reasons += [f"fewer votes in round {step.number}" if step.basis is Basis.ROUND
                else f"fewer {ordinal(step.number)} choices" for step in each.steps]
    if len(each.eliminated) > 1:
        reasons.append("level in every round and every choice")
    return "; ".join(reasons)


def ordinal(number: int) -> str:
    if number in (2, 3):
        return {2: "second", 3: "third"}[number]
    suffix = "th" if number % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def listed(candidates: Sequence[str], name: Callable[[str], str], conjunction: str = "and") -> str:
    names = [name(candidate) for candidate in candidates]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {conjunction} {names[-1]}"
