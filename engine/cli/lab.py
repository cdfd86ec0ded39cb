"""Commands of the lab: benchmarks, synthetic scenes, analyses, demo models (``engine/lab``).

Registered only where ``engine/lab`` is present (a checkout; the plugin zip leaves it out).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..errors import MineCDError
from .common import Parser, ProgressBar, fraction_range, int_list, stderr_log, write_json


def _cmd_bench(args: argparse.Namespace) -> int:
    from ..lab.bench import bench

    result = bench(
        args.sizes,
        args.dtypes.split(","),
        args.detector,
        Path(args.workdir),
        Path(args.out),
        args.tile,
        args.batch,
        args.overlap,
        args.runtime,
    )
    print(Path(args.out).with_suffix(".md").read_text())
    return 0 if result["rows"] else 1


def _add_bench(sub) -> None:
    p = sub.add_parser("bench", help="throughput and peak memory on large synthetic scenes")
    p.add_argument("--sizes", type=int_list, default=[2048, 8192, 16384], help="scene sizes (pixels)")
    p.add_argument("--dtypes", default="uint8,uint16", help="uint8,uint16 (optical); complex64 (SLC, SAR)")
    p.add_argument("--detector", default="cva", help="detector to time (default cva)")
    p.add_argument("--workdir", default="bench_out/data", help="cache of generated scenes")
    p.add_argument("--out", default="bench_out/bench.json", help="results (JSON, and .md beside it)")
    p.add_argument("--tile", type=int, help="tile or block size (default: the detector's)")
    p.add_argument("--batch", type=int, help="tiles per batch (default: the engine's)")
    p.add_argument("--overlap", type=int, help="pixels read around tiles (default: the detector's)")
    p.add_argument("--runtime", default="auto", choices=["auto", "openvino", "onnxruntime", "torch"])
    p.set_defaults(func=_cmd_bench)


def _cmd_bench_scale(args: argparse.Namespace) -> int:
    from ..lab.bench_scale import bench_scale

    bench_scale(
        Path(args.workdir), Path(args.out), args.size, args.detector, args.jobs, args.job_size, stderr_log
    )
    print(Path(args.out).with_suffix(".md").read_text())
    return 0


def _add_bench_scale(sub) -> None:
    p = sub.add_parser("bench-scale", help="the Dask path: identity, 1 vs 2 workers, batch, overheads")
    p.add_argument("--size", type=int, default=8192, help="scene size for the scaling runs")
    p.add_argument("--detector", default="insinet-demo")
    p.add_argument("--jobs", type=int, default=8, help="mines in the batch runs")
    p.add_argument("--job-size", type=int, default=1024, help="size of each mine's scene")
    p.add_argument("--workdir", default="bench_out/scale")
    p.add_argument("--out", default="bench_out/scale.json", help="results (JSON, and .md beside it)")
    p.set_defaults(func=_cmd_bench_scale)


def counts(text: str) -> list[int]:
    """Whole numbers from 0, comma-separated."""
    try:
        values = [int(v) for v in text.split(",")]
    except ValueError:
        values = []
    if not values or min(values) < 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a comma-separated list of whole numbers")
    return values


def _cmd_seams(args: argparse.Namespace) -> int:
    from ..lab.seams import markdown, measure

    tiles = [None if t == 0 else t for t in args.tiles]
    rows = measure(args.detector, args.data, tiles, args.overlaps, log=stderr_log, runtime=args.runtime)
    if args.out:
        write_json(args.out, {"detector": args.detector, "data": [str(d) for d in args.data], "rows": rows})
        Path(args.out).with_suffix(".md").write_text(markdown(rows))
    print(markdown(rows))
    return 0


def _add_seams(sub) -> None:
    p = sub.add_parser("seams", help="seam ratio and F1 of a detector by tile size and overlap")
    p.add_argument("--detector", required=True)
    p.add_argument("--data", nargs="+", required=True, help="folders with before.tif, after.tif, labels.tif")
    p.add_argument("--tiles", type=counts, default=[0], help="tile sizes; 0 = the detector's default")
    p.add_argument("--overlaps", type=counts, default=[0, 24, 48, 96])
    p.add_argument("--runtime", default="auto")
    p.add_argument("--out", help="write the rows as JSON (and .md beside it)")
    p.set_defaults(func=_cmd_seams)


def _synth_options(args: argparse.Namespace) -> dict:
    return {
        "pixel_size": args.pixel_size,
        "mines": args.mines,
        "change_fraction": args.change_fraction,
        "pseudo_strength": args.pseudo_strength,
        "misregistration": args.misregistration,
        "dtype": args.dtype,
        "amplitude": args.amplitude,
        "earthworks": args.earthworks,
    }


def _cmd_synth_scene(args: argparse.Namespace) -> int:
    from ..lab.synthetic import generate
    from ..lab.synthetic.quicklook import scene_quicklook

    with ProgressBar(not args.quiet) as bar:
        scene = generate(
            args.kind, args.out, size=args.size, seed=args.seed, progress=bar, **_synth_options(args)
        )
    if args.quicklook:
        scene_quicklook(args.out)
    print(
        f"{args.kind} scene {args.size}x{args.size} (seed {args.seed}): {len(scene['mines'])} mine(s), "
        f"{100 * scene['change_fraction']:.2f}% changed, {scene['generation_s']:.1f} s -> {args.out}"
    )
    return 0


def _cmd_synth_dataset(args: argparse.Namespace) -> int:
    from ..lab.synthetic import generate_dataset
    from ..lab.synthetic.quicklook import scene_quicklook

    with ProgressBar(not args.quiet) as bar:
        summary = generate_dataset(
            args.kind, args.out, args.sites, args.size, args.seed, progress=bar, **_synth_options(args)
        )
    if args.quicklook:
        for site in summary["sites"]:
            scene_quicklook(Path(args.out) / site["name"])
    print(f"{args.sites} {args.kind} site(s) of {args.size}x{args.size} -> {args.out}")
    return 0


def _cmd_synth_series(args: argparse.Namespace) -> int:
    from ..lab.synthetic.series import generate_series

    with ProgressBar(not args.quiet) as bar:
        described = generate_series(args.out, args.size, args.dates, args.seed, args.pixel_size, progress=bar)
    roles = ", ".join(f"mine {m} {role}" for m, role in described["mines"].items())
    print(
        f"{args.dates} dates of {args.size}x{args.size} ({roles}) -> {args.out}/images, licences.gpkg, truth/"
    )
    return 0


def _cmd_synth_quicklook(args: argparse.Namespace) -> int:
    from ..lab.synthetic.quicklook import scene_quicklook

    if not (Path(args.folder) / "scene.json").exists():
        raise MineCDError(f"{args.folder}: not a synthetic scene folder (no scene.json)")
    print(scene_quicklook(args.folder, args.out))
    return 0


def _add_synth(sub) -> None:
    synth = sub.add_parser("synth", help="synthetic open-pit mine scenes with exact change labels")
    kinds = synth.add_subparsers(dest="synth_command", required=True, metavar="KIND", parser_class=Parser)

    def options(p, kind_choice: bool):
        if kind_choice:
            p.add_argument("--kind", choices=["optical", "sar"], required=True)
        p.add_argument(
            "--size", type=int, default=2048, help="scene width and height in pixels (default 2048)"
        )
        p.add_argument("--seed", type=int, default=0, help="same seed, same bytes (default 0)")
        p.add_argument("--out", required=True, help="output folder")
        p.add_argument("--pixel-size", type=float, help="metres (default 1 for optical, 5 for SAR)")
        p.add_argument("--mines", type=int, help="number of mines (default: from the area)")
        p.add_argument(
            "--change-fraction",
            type=fraction_range,
            default=(0.03, 0.08),
            help="changed fraction of the scene: 'min,max' or a value (default 0.03,0.08)",
        )
        p.add_argument("--pseudo-strength", type=float, default=1.0, help="0 = no pseudo-changes (default 1)")
        p.add_argument("--misregistration", type=float, default=0.0, help="max shift of the after image (px)")
        p.add_argument("--dtype", choices=["uint8", "uint16"], default="uint8", help="optical data type")
        p.add_argument("--amplitude", action="store_true", help="SAR: also write amplitude rasters")
        p.add_argument(
            "--earthworks",
            type=float,
            default=0.0,
            metavar="PER_KM2",
            help="stripped-soil earthworks outside the mine leases, per km² (label 0: not mine change; "
            "only the surroundings tell them from mine stripping). Default 0",
        )
        p.add_argument("--quicklook", action="store_true", help="also write quicklook.png")
        p.add_argument("--quiet", action="store_true", help="no progress bar")

    for kind in ("optical", "sar"):
        p = kinds.add_parser(kind, help=f"one {kind} scene pair")
        options(p, False)
        p.set_defaults(func=_cmd_synth_scene, kind=kind)
    p = kinds.add_parser("dataset", help="independent sites site_01, site_02, ...")
    options(p, True)
    p.add_argument("--sites", type=int, default=3, help="number of sites (default 3)")
    p.set_defaults(func=_cmd_synth_dataset)
    p = kinds.add_parser(
        "series", help="K dates of one evolving mining area, licences, true change per period"
    )
    p.add_argument("--size", type=int, default=2048, help="width and height in pixels (default 2048)")
    p.add_argument("--dates", type=int, default=4, help="number of dates (default 4: three periods)")
    p.add_argument("--seed", type=int, default=0, help="same seed, same bytes (default 0)")
    p.add_argument("--pixel-size", type=float, default=1.0, help="metres (default 1)")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_synth_series)
    p = kinds.add_parser("quicklook", help="PNG of before | after | truth for a scene folder")
    p.add_argument("folder")
    p.add_argument("--out", help="PNG path (default FOLDER/quicklook.png)")
    p.set_defaults(func=_cmd_synth_quicklook)


def _cmd_reference(args: argparse.Namespace) -> int:
    from ..lab.reference import BENCHMARKS, run_reference
    from ..metrics import format_table

    names = list(BENCHMARKS) if args.benchmark == "all" else [args.benchmark]
    detectors = args.detectors.split(",") if args.detectors else None
    if detectors and len(names) > 1:
        raise MineCDError("--detectors needs one --benchmark (optical or sar)")
    results = {}
    for name in names:
        results[name] = run_reference(
            name, detectors, Path(args.data), device=args.device, log=lambda m: None
        )
    if args.out:
        write_json(args.out, results)
    for name, result in results.items():
        print(
            f"{name} reference benchmark ({len(result['spec']['seeds'])} sites of {result['spec']['size']}²)"
        )
        print(format_table(result["detectors"]))
    return 0


def _add_reference(sub) -> None:
    p = sub.add_parser("reference", help="the reference benchmark on fixed synthetic test sites")
    p.add_argument("--benchmark", choices=["optical", "sar", "all"], default="all")
    p.add_argument("--detectors", help="comma-separated detectors or checkpoints (default: the classic one)")
    p.add_argument("--data", default="bench_out/reference", help="where the test sites are cached")
    p.add_argument("--out", help="write all results as JSON")
    p.add_argument("--device", default="auto")
    p.set_defaults(func=_cmd_reference)


def _cmd_crosssite(args: argparse.Namespace) -> int:
    from ..lab.crosssite import cross_site

    result = cross_site(
        args.sites,
        args.out,
        args.unlabelled or (),
        tuple(range(args.seeds)),
        args.epochs,
        args.batch,
        args.device,
        log=stderr_log,
    )
    print((Path(args.out) / "crosssite.md").read_text())
    return 0 if result["rows"] else 1


def _add_crosssite(sub) -> None:
    p = sub.add_parser(
        "crosssite",
        help="SAR cross-site protocol: train A, validate B, test C (and the swap); "
        "each test also with the dates exchanged",
    )
    p.add_argument("--sites", required=True, nargs=3, help="site folders A B C")
    p.add_argument("--unlabelled", nargs="+", help="unlabelled folders for the pseudo-labelling row")
    p.add_argument("--out", required=True, help="folder for checkpoints and crosssite.json / .md")
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--epochs", type=int)
    p.add_argument("--batch", type=int)
    p.add_argument("--device", default="auto")
    p.set_defaults(func=_cmd_crosssite)


def _cmd_report(args: argparse.Namespace) -> int:
    from ..lab.report import demo_report

    runs = []
    for item in args.run:
        parts = item.split(":", 2)
        if len(parts) != 3:
            raise MineCDError(f"--run '{item}': expected SCENE:LABEL:MASK")
        runs.append(tuple(parts))
    demo_report(args.folder, runs)
    print((Path(args.folder) / "metrics.md").read_text())
    return 0


def _add_report(sub) -> None:
    p = sub.add_parser("report", help="metrics table and quicklooks of detections on labelled scenes")
    p.add_argument("folder", help="folder holding the scene folders; the report is written here")
    p.add_argument("--run", action="append", required=True, help="SCENE:LABEL:MASK (repeat)")
    p.set_defaults(func=_cmd_report)


def _cmd_weights(args: argparse.Namespace) -> int:
    from ..lab.weights import RECIPES, make_weights

    names = args.names.split(",") if args.names else None  # None: all (real ones if their data exist)
    unknown = [n for n in names or [] if n not in RECIPES]
    if unknown:
        raise MineCDError(f"unknown demo model(s) {', '.join(unknown)}: choose from {', '.join(RECIPES)}")
    reuse = dict(item.split("=", 1) for item in args.reuse or [])
    manifest = make_weights(names, Path(args.work), args.device, reuse, log=stderr_log)
    print(json.dumps(manifest, indent=2))
    return 0


def _add_weights(sub) -> None:
    p = sub.add_parser("weights", help="train and bundle the bundled models (make weights)")
    p.add_argument("--names", help="comma-separated: insinet-demo, sarunet-demo, insinet-s2 (default: all)")
    p.add_argument("--work", default="build/weights", help="where training sites and runs are kept")
    p.add_argument("--device", default="auto")
    p.add_argument("--reuse", action="append", help="NAME=CHECKPOINT trained by the recipe already")
    p.set_defaults(func=_cmd_weights)


def _cmd_analysis(args: argparse.Namespace) -> int:
    import tempfile

    from ..lab.analysis import ring_analysis, scale_analysis
    from ..lab.reference import ensure_sites

    detectors = dict(item.split("=", 1) if "=" in item else (Path(item).stem, item) for item in args.detector)
    scenes = (
        [Path(s) for s in args.scenes]
        if args.scenes
        else ensure_sites("optical", Path(args.data), log=lambda m: None)
    )
    log = stderr_log
    if args.kind == "rings":
        with tempfile.TemporaryDirectory(prefix="minecd-rings-") as work:
            result = ring_analysis(
                scenes,
                detectors,
                Path(work),
                args.device,
                log,
                shifts=args.shifts,
                bootstrap=args.bootstrap,
                block=args.block,
            )
    else:
        factors = tuple(int_list(args.factors))
        result = scale_analysis(scenes, detectors, factors, args.device, log)
    bootstrap = result.pop("bootstrap", None)
    result = {"analysis": args.kind, "scenes": [str(s) for s in scenes], "results": result}
    if bootstrap:
        result["bootstrap"] = bootstrap
    if args.out:
        write_json(args.out, result)
    print(json.dumps({k: v for k, v in result.items() if k != "scenes"}, indent=2))
    return 0


def _add_analysis(sub) -> None:
    p = sub.add_parser("analysis", help="the INSINet paper's analyses: F1 by tile ring, F1 by input scale")
    p.add_argument("kind", choices=["rings", "scales"])
    p.add_argument(
        "--detector", action="append", required=True, help="LABEL=SPEC (checkpoint, bundled name, cva)"
    )
    p.add_argument("--scenes", nargs="+", help="scene folders (default: the optical reference sites)")
    p.add_argument("--data", default="bench_out/reference", help="where the reference sites are cached")
    p.add_argument("--factors", default="1,2,4,8,16", help="scales: downsampling factors")
    p.add_argument(
        "--shifts",
        type=int,
        default=4,
        help="rings: lay the tile grid k x k times, offset by T/k, so every ring sees the same ground "
        "(default 4: 16 runs per scene; 1 = the plain grid only)",
    )
    p.add_argument(
        "--bootstrap",
        type=int,
        default=2000,
        metavar="N",
        help="rings: resample ground blocks N times for 95%% intervals of the core - outer drops and "
        "of their ratio, first detector over each other one (default 2000; 0 = off)",
    )
    p.add_argument("--block", type=int, default=512, help="rings: ground block size in px for --bootstrap")
    p.add_argument("--out", help="write the results as JSON")
    p.add_argument("--device", default="auto")
    p.set_defaults(func=_cmd_analysis)


def _cmd_leaveout(args: argparse.Namespace) -> int:
    from ..lab.leave_out import leave_scenes_out
    from .training import training_options

    result = leave_scenes_out(
        args.arch,
        args.data,
        Path(args.out),
        training_options(args),
        args.folds,
        args.device,
        log=stderr_log,
        validation=args.validation,
    )
    print(json.dumps({k: result[k] for k in ("fold_f1_mean", "fold_f1_sd", "pooled")}, indent=2))
    return 0


def _add_leaveout(sub) -> None:
    from .training import training_arguments

    p = sub.add_parser(
        "leaveout",
        help="leave-scenes-out evaluation of a training recipe: F1 on scenes each model never saw",
    )
    training_arguments(p)
    p.add_argument("--folds", type=int, default=5, help="groups of held-out scenes (default 5)")
    p.add_argument(
        "--no-validation",
        dest="validation",
        action="store_false",
        help="train on every scene not held out; the model is chosen on its training loss "
        "(default: one of them validates)",
    )
    p.set_defaults(func=_cmd_leaveout, init="none")  # a bundled model may have seen the held-out scenes


def _cmd_fewshot(args: argparse.Namespace) -> int:
    from ..lab.fewshot import markdown, run_fewshot
    from ..lab.leave_out import fold_models
    from .training import training_options

    # a leaveout result: each scene starts from the fold model that never saw it
    init_for = fold_models(Path(args.init_map)) if args.init_map else {}
    summary = run_fewshot(
        args.arch,
        args.data,
        Path(args.out),
        training_options(args),
        args.fraction,
        args.classic,
        init_for,
        args.block_seed,
        args.device,
        log=stderr_log,
    )
    text = markdown(summary)
    print(text)
    if args.md:
        Path(args.md).write_text(text)
    if args.json:
        write_json(args.json, summary)
    return 0


def _add_fewshot(sub) -> None:
    from .training import pseudo_argument, training_arguments

    p = sub.add_parser(
        "fewshot",
        help="few-shot protocol: label a fraction of an 8x8 block grid, adapt, score the other blocks",
    )
    training_arguments(p)
    pseudo_argument(p)
    p.add_argument(
        "--fraction", type=float, default=0.3, help="share of the 64 blocks labelled (default 0.3)"
    )
    p.add_argument("--block-seed", type=int, default=0, help="seed drawing the labelled blocks")
    p.add_argument(
        "--classic", default="cva", help="classic detector scored on the same blocks (default cva)"
    )
    p.add_argument(
        "--init-map", help="leave_scenes_out.json: start each scene from the fold model that never saw it"
    )
    p.add_argument("--md", help="write the table here")
    p.add_argument("--json", help="write the results here")
    p.set_defaults(func=_cmd_fewshot)


def register(sub) -> None:
    _add_bench(sub)
    _add_bench_scale(sub)
    _add_seams(sub)
    _add_synth(sub)
    _add_reference(sub)
    _add_crosssite(sub)
    _add_report(sub)
    _add_weights(sub)
    _add_fewshot(sub)
    _add_analysis(sub)
    _add_leaveout(sub)
