"""Fallback launcher for benchmarks/http_ack.py when `upline run` (bot/cli/run.py) is not available:
`create_upline(Settings.from_env())`, its background loops started, its ASGI app on uvicorn
(127.0.0.1:$PORT, no access log) — what `upline run` does in HTTP mode.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import uvicorn  # noqa: E402

from bot.app import create_upline  # noqa: E402
from bot.settings import Settings  # noqa: E402

if __name__ == "__main__":
    settings = Settings.from_env()
    upline = create_upline(settings)
    upline.start()
    try:
        uvicorn.run(upline.asgi(), host="127.0.0.1", port=settings.port, log_level="warning", access_log=False)
    finally:
        upline.stop()
