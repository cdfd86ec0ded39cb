"""The ``python -m engine`` command line: one subcommand per engine feature.

Bad input ends with exit code 2 and one line on stderr starting with ``error:``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__
from .errors import Cancelled, MineCDError


class Parser(argparse.ArgumentParser):
    """argparse with one-line ``error:`` messages (exit code 2, no usage dump)."""

    def error(self, message):
        sys.stderr.write(f"error: {message} (see '{self.prog} --help')\n")
        sys.exit(2)


def int_list(text: str) -> list[int]:
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        values = []
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a comma-separated list of band numbers (from 1)")
    return values


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
            print(message, file=sys.stderr)

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


# ---------------------------------------------------------------- commands
def _cmd_env(args: argparse.Namespace) -> int:
    from .environment import describe

    print(json.dumps(describe(), indent=2))
    return 0


def _cmd_detect(args: argparse.Namespace) -> int:
    from .detect import detect_changes

    options = {}
    if args.threshold_method:
        options["method"] = args.threshold_method
    if args.window:
        options["window"] = args.window
    if args.summary and str(args.summary) != "-":
        from .writer import check_writable

        check_writable(args.summary)
    with ProgressBar(not args.quiet) as bar:
        summary = detect_changes(
            args.before,
            args.after,
            args.detector,
            args.out,
            prob_out=args.prob,
            bands=args.bands,
            aoi=args.aoi,
            device=args.device,
            tile=args.tile,
            batch=args.batch,
            threshold=args.threshold,
            overlap=args.overlap,
            detector_options=options,
            progress=bar,
            log=bar.log,
        )
    if args.summary:
        write_json(args.summary, summary)
    area = summary["changed_area_ha"]
    amount = f"{area:.2f} ha" if area is not None else f"{summary['changed_pixels']} pixels"
    print(
        f"{amount} changed ({100 * summary['changed_fraction']:.2f}% of valid pixels) in "
        f"{summary['runtime_s']:.1f} s on {summary['device']} -> {summary['mask']}"
    )
    return 0


def _add_detect(sub) -> None:
    p = sub.add_parser(
        "detect",
        help="detect changes between two rasters",
        description="Detect changes between two rasters and write a uint8 mask "
        "(0 no change, 1 change, 255 nodata).",
    )
    p.add_argument("--before", required=True, help="earlier raster (defines the output grid)")
    p.add_argument("--after", required=True, help="later raster (warped onto the before grid if needed)")
    p.add_argument("--detector", required=True, help="cva, logratio or a checkpoint file (.pt)")
    p.add_argument("--out", required=True, help="output mask GeoTIFF")
    p.add_argument("--prob", help="optional change-probability GeoTIFF (float32)")
    p.add_argument("--summary", help="write the run summary as JSON here ('-' for stdout)")
    p.add_argument("--bands", type=int_list, help="bands to use in both rasters, e.g. 3,2,1")
    p.add_argument("--aoi", help="area of interest: polygon file, or xmin,ymin,xmax,ymax[CRS]")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N (default auto)")
    p.add_argument("--tile", type=int, default=256, help="tile size in pixels (default 256)")
    p.add_argument("--batch", type=int, default=8, help="tiles per batch (default 8)")
    p.add_argument("--threshold", type=float, default=0.5, help="probability threshold (default 0.5)")
    p.add_argument("--overlap", type=int, default=0, help="extra pixels read around tiles and cropped")
    p.add_argument("--threshold-method", choices=["otsu", "ki"], help="classic detectors: threshold")
    p.add_argument("--window", type=int, help="logratio: boxcar window in pixels (odd, default 5)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_detect)


def _cmd_bench(args: argparse.Namespace) -> int:
    from .bench import bench

    result = bench(
        args.sizes,
        args.dtypes.split(","),
        args.detector,
        Path(args.workdir),
        Path(args.out),
        args.tile,
        args.batch,
    )
    print(Path(args.out).with_suffix(".md").read_text())
    return 0 if result["rows"] else 1


def _add_bench(sub) -> None:
    p = sub.add_parser("bench", help="throughput and peak memory on large synthetic scenes")
    p.add_argument("--sizes", type=int_list, default=[2048, 8192, 16384], help="scene sizes (pixels)")
    p.add_argument("--dtypes", default="uint8,uint16", help="comma-separated: uint8,uint16")
    p.add_argument("--detector", default="cva", help="detector to time (default cva)")
    p.add_argument("--workdir", default="bench_out/data", help="cache of generated scenes")
    p.add_argument("--out", default="bench_out/bench.json", help="results (JSON, and .md beside it)")
    p.add_argument("--tile", type=int, default=256)
    p.add_argument("--batch", type=int, default=8)
    p.set_defaults(func=_cmd_bench)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="python -m engine", description="MineCD: change detection for open-pit mines.")
    parser.add_argument("--version", action="version", version=f"MineCD {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)
    env = sub.add_parser("env", help="report versions, CUDA devices and missing packages (JSON)")
    env.set_defaults(func=_cmd_env)
    _add_detect(sub)
    _add_bench(sub)
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
