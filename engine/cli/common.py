"""What every command group shares: the parser, argument types, the progress bar, JSON output."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import fields
from pathlib import Path

from ..errors import MineCDError


class Parser(argparse.ArgumentParser):
    """argparse with one-line ``error:`` messages (exit code 2, no usage dump)."""

    def error(self, message):
        sys.stderr.write(f"error: {message} (see '{self.prog} --help')\n")
        sys.exit(2)


def int_list(text: str) -> list[int]:
    """Whole numbers from 1, comma-separated (bands, sizes): the request's band parser."""
    from ..request import parse_bands

    try:
        values = parse_bands(text)
    except MineCDError:
        values = None
    if not values:
        raise argparse.ArgumentTypeError(f"'{text}' is not a comma-separated list of band numbers (from 1)")
    return values


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number from 1")
    return int(text)


def add_dask_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--workers", type=positive_int, help="run on Dask: a local cluster of N worker processes"
    )
    group.add_argument(
        "--scheduler", help="run on an existing Dask cluster: its scheduler address (tcp://host:8786)"
    )


def fraction_range(text: str) -> tuple[float, float]:
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        values = []
    if len(values) == 1:
        values = [0.7 * values[0], 1.3 * values[0]]
    if len(values) != 2 or not 0 < values[0] <= values[1] < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a fraction or a range 'min,max' between 0 and 1")
    return values[0], values[1]


def from_arguments(cls, args: argparse.Namespace, **overrides):
    """A dataclass filled from the parsed arguments whose names are its fields."""
    names = {f.name for f in fields(cls)}
    values = {k: v for k, v in vars(args).items() if k in names}
    return cls(**{**values, **overrides})


def stderr_log(message: str) -> None:
    print(message, file=sys.stderr)


class ProgressBar:
    """A tqdm bar on stderr driven by the engine's progress callback."""

    def __init__(self, enabled: bool = True):
        self.enabled = enabled and sys.stderr is not None
        self.bar = None

    def __enter__(self):
        if self.enabled:
            from tqdm import tqdm

            self.bar = tqdm(
                total=1000,
                file=sys.stderr,
                bar_format="{desc:<22}{percentage:3.0f}%|{bar}| {elapsed}<{remaining}",
            )
        return self

    def __call__(self, fraction: float, message: str) -> None:
        if self.bar is not None:
            self.bar.set_description_str(message[:22], refresh=False)
            self.bar.update(int(round(fraction * 1000)) - self.bar.n)

    def log(self, message: str) -> None:
        if self.bar is not None:
            self.bar.write(message, file=sys.stderr)
        else:
            stderr_log(message)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()


def write_json(path: str | os.PathLike, data: dict) -> None:
    """Write JSON atomically (``-`` prints to stdout)."""
    text = json.dumps(data, indent=2)
    if str(path) == "-":
        print(text)
        return
    path = Path(path)
    tmp = path.with_name(f".{path.name}.part")
    try:
        tmp.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise MineCDError(f"{path}: cannot write ({exc.strerror})") from None
    os.replace(tmp, path)
