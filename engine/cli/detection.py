"""Commands of the product's detection jobs: env, detect, coherence, evaluate."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..thresholds import METHODS
from .common import ProgressBar, add_dask_arguments, from_arguments, int_list, write_json


def _cmd_env(args: argparse.Namespace) -> int:
    from ..environment import describe

    print(json.dumps(describe(), indent=2))
    return 0


def _cmd_detect(args: argparse.Namespace) -> int:
    from ..detect import run_request
    from ..request import DetectionRequest, summary_line

    request = from_arguments(DetectionRequest, args)
    if args.summary and str(args.summary) != "-":
        from ..writer import check_writable

        check_writable(args.summary)
    with ProgressBar(not args.quiet) as bar:
        summary = run_request(request, progress=bar, log=bar.log)
    if args.summary:
        write_json(args.summary, summary)
    template = "{amount} changed ({percent:.2f}% of valid pixels) in {seconds:.1f} s on {device}"
    print(f"{summary_line(summary, template)} -> {summary['mask']}")
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
    p.add_argument(
        "--detector",
        required=True,
        help="cva, irmad, logratio, a bundled model, a checkpoint (.pt) or ONNX file",
    )
    p.add_argument("--out", required=True, help="output mask GeoTIFF")
    p.add_argument(
        "--prob", dest="prob_out", metavar="PROB", help="optional change-probability GeoTIFF (float32)"
    )
    p.add_argument(
        "--polygons",
        dest="polygons_out",
        metavar="POLYGONS",
        help="optional change polygons (GeoPackage) with area_m2, area_ha",
    )
    p.add_argument(
        "--min-area",
        dest="min_area_m2",
        metavar="MIN_AREA",
        type=float,
        default=0.0,
        help="drop change polygons below this area (m²)",
    )
    p.add_argument("--summary", help="write the run summary as JSON here ('-' for stdout)")
    p.add_argument("--bands", type=int_list, help="bands to use in both rasters, e.g. 3,2,1")
    p.add_argument("--aoi", help="area of interest: polygon file, or xmin,ymin,xmax,ymax[CRS]")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N (default auto)")
    p.add_argument(
        "--tile", type=int, help="tile size in pixels (networks: blocks sized to the scene; classic: 256)"
    )
    p.add_argument("--batch", type=int, help="tiles per batch (default: about 0.5 MPix on the CPU)")
    p.add_argument("--threshold", type=float, help="probability threshold (default 0.5, or the model's)")
    p.add_argument(
        "--overlap",
        type=int,
        help="pixels read around each tile; networks blend them so blocks join without seams "
        "(default 48; 0 is fastest, with seams)",
    )
    p.add_argument(
        "--runtime",
        default="auto",
        choices=["auto", "openvino", "onnxruntime", "torch"],
        help="networks on the CPU: auto = OpenVINO, else ONNX Runtime, else PyTorch",
    )
    p.add_argument(
        "--precision",
        default="auto",
        choices=["auto", "f32", "bf16"],
        help="OpenVINO: auto = bf16 where the CPU has it",
    )
    p.add_argument(
        "--flips",
        default="auto",
        choices=["auto", "on", "off"],
        help="networks: average over the input and its 3 flips (4x slower; auto: the model's choice)",
    )
    p.add_argument(
        "--context",
        default="shared",
        choices=["shared", "tile"],
        help="INSINet neighbourhood: shared (blocks of any size, seam-free) or tile (the paper's, per tile)",
    )
    p.add_argument(
        "--coherence", help="SAR models: a coherence raster made elsewhere (with amplitude inputs)"
    )
    p.add_argument(
        "--threshold-method",
        choices=list(METHODS),
        help="classic detectors: threshold (log-ratio default auto: Otsu or KI, whichever fits the scene)",
    )
    p.add_argument("--window", type=int, help="logratio: boxcar window in pixels (odd, default 5)")
    add_dask_arguments(p)
    p.add_argument(
        "--tiles-per-task", type=int, help="Dask: tiles per task (default: about 8 MPix of output)"
    )
    p.add_argument("--work-dir", help="Dask: folder for the parts of a resumable run (default: beside --out)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_detect)


def _cmd_export(args: argparse.Namespace) -> int:
    from ..export import export_onnx
    from ..writer import check_writable

    check_writable(args.out)
    info = export_onnx(args.detector, args.out, context=args.context)
    meta = info["checkpoint"]
    print(
        f"{info['name']} ({meta['arch']}, {meta['kind']}, inputs {', '.join(info['inputs'])}, "
        f"context {info['context_scheme'] or 'none'}) -> {args.out}"
    )
    return 0


def _add_export(sub) -> None:
    p = sub.add_parser(
        "export",
        help="export a network to ONNX with MineCD's metadata inside",
        description="Export a bundled model or checkpoint to one ONNX file that carries its bands, "
        "normalisation, tile, pixel size and context scheme; --detector model.onnx runs it.",
    )
    p.add_argument("--detector", required=True, help="a bundled model's name or a checkpoint (.pt)")
    p.add_argument("--out", required=True, help="the ONNX file to write")
    p.add_argument("--context", default="shared", choices=["shared", "tile"], help="INSINet's context scheme")
    p.set_defaults(func=_cmd_export)


def _cmd_coherence(args: argparse.Namespace) -> int:
    from ..sar.coherence import compute_coherence

    with ProgressBar(not args.quiet) as bar:
        result = compute_coherence(
            args.before, args.after, args.out, args.window, args.remove_ramp, args.tile, progress=bar
        )
    ramp = result["ramp_cycles_per_pixel"]
    note = f", phase ramp removed ({ramp[0]:.4f}, {ramp[1]:.4f} cycles/px)" if args.remove_ramp else ""
    print(f"coherence {result['width']}x{result['height']} with a {args.window} window{note} -> {args.out}")
    return 0


def _add_coherence(sub) -> None:
    p = sub.add_parser("coherence", help="interferometric coherence of an SLC pair (float32 GeoTIFF)")
    p.add_argument("--before", required=True, help="complex SLC raster")
    p.add_argument("--after", required=True, help="complex SLC raster on the same grid")
    p.add_argument("--out", required=True, help="coherence GeoTIFF (float32, nodata -1)")
    p.add_argument("--window", default="5x5", help="boxcar AZxRG in pixels (default 5x5 = 25 looks)")
    p.add_argument("--remove-ramp", action="store_true", help="remove a linear phase ramp first")
    p.add_argument("--tile", type=int, default=512)
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=_cmd_coherence)


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from ..metrics import evaluate_files, format_table

    metrics = evaluate_files(args.pred, args.ref)
    if args.json:
        write_json(args.json, metrics)
    print(format_table({Path(args.pred).name: metrics}))
    print(f"TP {metrics['tp']}  FP {metrics['fp']}  FN {metrics['fn']}  TN {metrics['tn']}")
    return 0


def _add_evaluate(sub) -> None:
    p = sub.add_parser("evaluate", help="metrics of a change mask against reference labels")
    p.add_argument("--pred", required=True, help="mask GeoTIFF (1 change, 0 no change, 255 nodata)")
    p.add_argument("--ref", required=True, help="reference raster (non-zero = change) or polygon file")
    p.add_argument("--json", help="write the metrics as JSON")
    p.set_defaults(func=_cmd_evaluate)


def _cmd_benchmark(args: argparse.Namespace) -> int:
    from ..benchmark import benchmark, markdown

    with ProgressBar(not args.quiet) as bar:
        result = benchmark(
            args.data,
            args.detectors,
            args.out,
            args.device,
            not args.no_quicklooks,
            progress=bar,
            log=bar.log,
        )
    if args.json:
        write_json(args.json, result)
    if args.md:
        Path(args.md).write_text(markdown(result), encoding="utf-8")
    print(markdown(result), end="")
    print(f"results, masks' metrics and quicklooks -> {args.out}")
    return 0


def _add_benchmark(sub) -> None:
    p = sub.add_parser(
        "benchmark",
        help="detectors on labelled folders: metrics per scene and pooled, quicklooks",
        description="Run detectors on folders of before.tif, after.tif and labels.tif (non-zero = change) "
        "or labels.gpkg, and report precision, recall, OA, IoU, F1 and kappa per scene and pooled.",
    )
    p.add_argument("--data", required=True, nargs="+", help="scene folders, or folders of scene folders")
    p.add_argument(
        "--detectors",
        required=True,
        action="append",
        help="comma-separated LABEL=SPEC@BANDS items: cva, irmad, logratio, a bundled model or a .pt "
        "(e.g. cva,rgb=insinet-demo@3,2,1); repeatable",
    )
    p.add_argument("--out", default="benchmark_out", help="folder for benchmark.json/.md and quicklooks")
    p.add_argument("--json", help="also write the results as JSON here")
    p.add_argument("--md", help="also write the Markdown table here")
    p.add_argument("--device", default="auto")
    p.add_argument("--no-quicklooks", action="store_true", help="no PNG per scene")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_benchmark)


def register(sub) -> None:
    env = sub.add_parser("env", help="report versions, CUDA devices and missing packages (JSON)")
    env.set_defaults(func=_cmd_env)
    _add_detect(sub)
    _add_export(sub)
    _add_coherence(sub)
    _add_evaluate(sub)
    _add_benchmark(sub)
