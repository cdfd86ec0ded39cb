"""The ``python -m engine`` command line: one subcommand per engine feature.

Bad input ends with exit code 2 and one line on stderr starting with ``error:``.
"""

from __future__ import annotations

import argparse
import json
import sys

from . import __version__
from .errors import Cancelled, MineCDError


def _cmd_env(args: argparse.Namespace) -> int:
    from .environment import describe

    print(json.dumps(describe(), indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m engine",
        description="MineCD: change detection for open-pit mines.",
    )
    parser.add_argument("--version", action="version", version=f"MineCD {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    env = sub.add_parser("env", help="report versions, CUDA devices and missing packages (JSON)")
    env.set_defaults(func=_cmd_env)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except MineCDError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Cancelled:
        print("error: cancelled", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
