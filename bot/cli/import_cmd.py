"""`upline import pytorch FILE [--codeowners CODEOWNERS]`: PyTorch's maintainer list as app.yaml.

Reads `persons_of_interest.md` (or the older `.rst`) and prints an app.yaml on stdout; what was
imported is summed up on stderr, so `upline import pytorch … > app.yaml` keeps the file clean.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.importers import PersonsOfInterestError, import_pytorch


def add_parser(subparsers) -> None:
    summary = "turn a project's published maintainer list into app.yaml"
    parser = subparsers.add_parser("import", help=summary, description=summary,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    sources = parser.add_subparsers(dest="source", metavar="SOURCE", required=True)
    pytorch = sources.add_parser("pytorch", help="PyTorch's persons_of_interest.md or .rst",
                                 description="PyTorch's persons_of_interest.md (or the older .rst) as app.yaml "
                                             "on stdout; a summary on stderr.")
    pytorch.add_argument("file", help="persons_of_interest.md or persons_of_interest.rst")
    pytorch.add_argument("--codeowners", metavar="CODEOWNERS",
                         help="also give each area the CODEOWNERS paths its maintainers own")
    pytorch.set_defaults(func=run)
    # argparse lists a subcommand's sources but not their options: `upline import --help` shows them too.
    parser.epilog = "\n".join(source.format_help() for source in (pytorch,))


def run(args, out=None, err=None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    try:
        text = Path(args.file).read_text(encoding="utf-8")
        codeowners = Path(args.codeowners).read_text(encoding="utf-8") if args.codeowners else None
    except OSError as error:
        print(f"error: cannot read {error.filename}: {error.strerror}", file=err)
        return 1
    try:
        result = import_pytorch(text, codeowners)
    except PersonsOfInterestError as error:
        print(f"error: {args.file}: {error}", file=err)
        return 1
    out.write(result.yaml)
    print(result.summary(), file=err)
    return 0
