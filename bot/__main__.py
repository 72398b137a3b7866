"""`python -m bot` is the same as the `upline` command."""

import sys

from bot.cli import main

sys.exit(main())
