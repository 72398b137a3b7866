"""The sandbox page's backend: `create_page_routes(context)` serves `/sandbox/...` (see routes.py)."""

from bot.sandbox.page_api.bot_line import BotLine
from bot.sandbox.page_api.context import PageContext
from bot.sandbox.page_api.live import ChangeFeed
from bot.sandbox.page_api.notes import Notes
from bot.sandbox.page_api.routes import create_page_routes

__all__ = ["BotLine", "ChangeFeed", "Notes", "PageContext", "create_page_routes"]
