"""The sandbox keeps its clock with its data: each move of the page's clock is stored in the database,
and a sandbox started again on that database resumes it, so tickets' times never run backwards and the
CLI on that database reads the time the page shows."""

from __future__ import annotations

from datetime import timedelta

import httpx

from bot.clock import OFFSET_SETTING, OffsetClock
from storage.engine import make_engine, make_session_factory
from storage.unit_of_work import SqlUnitOfWork
from tests.sandbox.test_page_api import PageClient, start_sandbox


def stored_offset(url: str) -> float | None:
    engine = make_engine(url)
    try:
        with SqlUnitOfWork(make_session_factory(engine), read_only=True) as uow:
            return uow.settings.get(OFFSET_SETTING)
    finally:
        engine.dispose()


def test_each_move_of_the_page_clock_is_stored_with_the_tickets(tmp_path):
    sandbox = start_sandbox(tmp_path)
    try:
        assert stored_offset(sandbox.database_url) is None  # a clock that never moved stores nothing
        with httpx.Client(timeout=15) as http:
            page = PageClient(sandbox, http)
            page.post("/sandbox/clock", {"seconds": 3600})
            assert stored_offset(sandbox.database_url) == 3600
            page.post("/sandbox/clock", {"seconds": 86400})
            assert stored_offset(sandbox.database_url) == 90000
    finally:
        sandbox.stop()


def test_a_sandbox_started_again_on_its_database_resumes_its_clock(tmp_path):
    first = start_sandbox(tmp_path)
    try:
        first.clock.advance(timedelta(days=2))
    finally:
        first.stop()
    again = start_sandbox(tmp_path)
    try:
        assert again.clock.offset == timedelta(days=2)
        with httpx.Client(timeout=15) as http:
            assert PageClient(again, http).get("/sandbox/clock", None)["offset_seconds"] == 2 * 86400
    finally:
        again.stop()


def test_a_clock_given_further_ahead_than_the_database_is_stored_as_it_is(tmp_path):
    sandbox = start_sandbox(tmp_path, clock=OffsetClock(timedelta(hours=3)))
    try:
        assert stored_offset(sandbox.database_url) == 3 * 3600
    finally:
        sandbox.stop()
