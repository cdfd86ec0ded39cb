"""The ``python -m engine`` command line: one module per job group, each registering its commands.

Bad input ends with exit code 2 and one line on stderr starting with ``error:``.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys

from .. import __version__
from ..errors import Cancelled, MineCDError
from . import detection, monitoring, scale, training
from .common import Parser


def _groups() -> list:
    groups = [detection, scale, monitoring, training]
    if importlib.util.find_spec(f"{__package__.rpartition('.')[0]}.lab") is not None:
        from . import lab  # the lab lives in the checkout, not in the plugin zip

        groups.append(lab)
    return groups


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    parser = Parser(
        prog=prog or "python -m engine", description="MineCD: change detection for open-pit mines."
    )
    parser.add_argument("--version", action="version", version=f"MineCD {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)
    for group in _groups():
        group.register(sub)
    return parser


def _interrupt(signum, frame):
    raise KeyboardInterrupt  # SIGTERM ends a run like Ctrl-C: temporary outputs are removed


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)
    parser = build_parser(prog)
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


def console() -> int:
    """The ``minecd`` command of an installed engine (``pip install minecd``)."""
    return main(prog="minecd")
