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
            polygons_out=args.polygons,
            min_area_m2=args.min_area,
            bands=args.bands,
            aoi=args.aoi,
            device=args.device,
            tile=args.tile,
            batch=args.batch,
            threshold=args.threshold,
            overlap=args.overlap,
            extra_inputs={"coherence": args.coherence} if args.coherence else None,
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


def _cmd_coherence(args: argparse.Namespace) -> int:
    from .sar.coherence import compute_coherence

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
    p.add_argument("--polygons", help="optional change polygons (GeoPackage) with area_m2, area_ha")
    p.add_argument("--min-area", type=float, default=0.0, help="drop change polygons below this area (m²)")
    p.add_argument("--summary", help="write the run summary as JSON here ('-' for stdout)")
    p.add_argument("--bands", type=int_list, help="bands to use in both rasters, e.g. 3,2,1")
    p.add_argument("--aoi", help="area of interest: polygon file, or xmin,ymin,xmax,ymax[CRS]")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N (default auto)")
    p.add_argument("--tile", type=int, help="tile size in pixels (default 256, or the model's)")
    p.add_argument("--batch", type=int, help="tiles per batch (default 8 on the CPU, 32 on CUDA)")
    p.add_argument("--threshold", type=float, help="probability threshold (default 0.5, or the model's)")
    p.add_argument("--overlap", type=int, default=0, help="extra pixels read around tiles and cropped")
    p.add_argument(
        "--coherence", help="SAR models: a coherence raster made elsewhere (with amplitude inputs)"
    )
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
    p.add_argument("--dtypes", default="uint8,uint16", help="uint8,uint16 (optical); complex64 (SLC, SAR)")
    p.add_argument("--detector", default="cva", help="detector to time (default cva)")
    p.add_argument("--workdir", default="bench_out/data", help="cache of generated scenes")
    p.add_argument("--out", default="bench_out/bench.json", help="results (JSON, and .md beside it)")
    p.add_argument("--tile", type=int, default=256)
    p.add_argument("--batch", type=int, default=8)
    p.set_defaults(func=_cmd_bench)


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
    from .synthetic import generate
    from .synthetic.quicklook import scene_quicklook

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
    from .synthetic import generate_dataset
    from .synthetic.quicklook import scene_quicklook

    with ProgressBar(not args.quiet) as bar:
        summary = generate_dataset(
            args.kind, args.out, args.sites, args.size, args.seed, progress=bar, **_synth_options(args)
        )
    if args.quicklook:
        for site in summary["sites"]:
            scene_quicklook(Path(args.out) / site["name"])
    print(f"{args.sites} {args.kind} site(s) of {args.size}x{args.size} -> {args.out}")
    return 0


def _cmd_synth_quicklook(args: argparse.Namespace) -> int:
    from .synthetic.quicklook import scene_quicklook

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
    p = kinds.add_parser("quicklook", help="PNG of before | after | truth for a scene folder")
    p.add_argument("folder")
    p.add_argument("--out", help="PNG path (default FOLDER/quicklook.png)")
    p.set_defaults(func=_cmd_synth_quicklook)


def _cmd_reference(args: argparse.Namespace) -> int:
    from .metrics import format_table
    from .reference import BENCHMARKS, run_reference

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


def _cmd_model_info(args: argparse.Namespace) -> int:
    import torch

    from .models.complexity import count
    from .models.registry import build_model

    options = {"bands": args.bands} if args.arch == "insinet" else {"channels": args.bands}
    if args.variant:
        options["variant"] = args.variant
    model = build_model(args.arch, **options)
    x = torch.zeros(1, args.bands, args.tile, args.tile)
    inputs = (x, x, x, x) if args.arch == "insinet" else (x,)
    info = {
        "arch": args.arch,
        "variant": args.variant or getattr(model, "variant", None),
        "bands": args.bands,
        "tile": args.tile,
        **count(model, *inputs),
    }
    print(json.dumps(info, indent=2))
    return 0


def _add_model_info(sub) -> None:
    p = sub.add_parser("model-info", help="parameters and MACs of an architecture (JSON)")
    p.add_argument("--arch", required=True, choices=["insinet", "sarunet"])
    p.add_argument("--bands", type=int, default=3, help="input bands (SAR U-Net: input channels)")
    p.add_argument("--tile", type=int, default=256)
    p.add_argument("--variant", help="INSINet ablation variant: siamese, tf, mdsa, quad, insinet")
    p.set_defaults(func=_cmd_model_info)


def _training_options(args: argparse.Namespace):
    from .train.augment import AugmentConfig
    from .train.run import Options

    o = Options(
        epochs=args.epochs,
        batch=args.batch,
        lr=args.lr,
        device=args.device,
        tile=args.tile,
        split=args.split,
        overlap=args.overlap,
        seed=args.seed,
        patience=args.patience,
        steps_per_epoch=args.steps_per_epoch,
        name=args.name,
        description=args.description or "",
        bands=args.bands,
        variant=args.variant,
    )
    if args.arch == "sarunet":
        from .sar.coherence import parse_window
        from .sar.training import SarAugmentConfig

        o.sar_mode, o.units, o.remove_ramp = args.sar_mode, args.sar_units, args.remove_ramp
        o.window = parse_window(args.window)
        o.coherence = False if args.no_coherence else None
        o.balanced = False if args.no_balance else None
        o.augment = SarAugmentConfig(
            vflip=not args.no_flips,
            hflip=not args.no_flips,
            shear=not args.no_shear,
            swap=not args.no_swap,
            coherence_scaling=not args.no_coherence_scaling,
        )
        if args.no_augment:
            o.augment = SarAugmentConfig.none()
    else:
        o.augment = AugmentConfig(
            flips=not args.no_flips,
            rotations=not args.no_flips,
            jitter=0.0 if args.no_jitter else 0.1,
            swap=not args.no_swap,
        )
        if args.no_augment:
            o.augment = AugmentConfig(False, False, 0.0, False)
    return o


def _cmd_train(args: argparse.Namespace) -> int:
    from .train.run import train

    with ProgressBar(not args.quiet) as bar:
        result = train(
            args.arch,
            args.data,
            args.out,
            _training_options(args),
            resume=args.resume,
            cache=args.cache,
            progress=bar,
            log=bar.log,
        )
    _print_training(result)
    return 0


def _print_training(result: dict) -> None:
    test = result["metrics"].get("test", {})
    print(
        f"best epoch {result['best_epoch']}: validation F1 {result['metrics']['validation']['f1']:.4f}, "
        f"test F1 {test.get('f1', float('nan')):.4f} -> {result['checkpoint']} (curves: {result['history']})"
    )


def _training_arguments(p, arch: bool = True) -> None:
    if arch:
        p.add_argument("--arch", required=True, choices=["insinet", "sarunet"], help="architecture")
    p.add_argument("--data", required=True, nargs="+", help="scene folders (one per site)")
    p.add_argument("--out", required=True, help="checkpoint to write (.pt); .csv and .png curves beside it")
    p.add_argument("--epochs", type=int, help="default: the paper's (INSINet 200, SAR U-Net 100)")
    p.add_argument("--batch", type=int, help="default: the paper's (INSINet 8, SAR U-Net 64)")
    p.add_argument("--lr", type=float, help="learning rate (default: the paper's, 1e-3)")
    p.add_argument("--device", default="auto")
    p.add_argument("--tile", type=int, default=256)
    p.add_argument(
        "--split",
        choices=["auto", "site", "blocks"],
        default="auto",
        help="6:2:2 by site (3+ folders) or by spatially disjoint blocks (auto)",
    )
    p.add_argument("--overlap", action="store_true", help="also cut chips shifted by half a tile")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--patience",
        type=int,
        default=20,
        help="early stop after N epochs without progress (not before the LR drop)",
    )
    p.add_argument("--steps-per-epoch", type=int, help="cap the batches per epoch (quick runs)")
    p.add_argument("--no-augment", action="store_true", help="no augmentation at all")
    p.add_argument("--no-flips", action="store_true", help="no flips (optical: nor rotations)")
    p.add_argument("--no-swap", action="store_true", help="no before/after swap")
    p.add_argument("--name", help="model name stored in the checkpoint")
    p.add_argument("--description", help="free text stored in the checkpoint")
    p.add_argument("--quiet", action="store_true")
    optical = p.add_argument_group("optical (insinet)")
    optical.add_argument("--bands", type=int_list, help="bands to train on (default 1,2,3)")
    optical.add_argument("--variant", default="insinet", help="INSINet ablation variant (default insinet)")
    optical.add_argument("--no-jitter", action="store_true", help="no colour/brightness jitter")
    sar = p.add_argument_group("SAR (sarunet)")
    sar.add_argument(
        "--sar-mode",
        choices=["slc", "amplitude+coherence", "amplitude"],
        help="input situation (default: from the data; folders may hold coherence.tif)",
    )
    sar.add_argument("--no-coherence", action="store_true", help="amplitudes only")
    sar.add_argument("--window", default="5x5", help="coherence/multilook window AZxRG (SLC input)")
    sar.add_argument(
        "--sar-units",
        choices=["amplitude", "intensity", "db"],
        default="amplitude",
        help="units of real SAR rasters (default linear amplitude)",
    )
    sar.add_argument("--remove-ramp", action="store_true", help="remove a linear phase ramp before coherence")
    sar.add_argument("--no-shear", action="store_true")
    sar.add_argument("--no-coherence-scaling", action="store_true")
    sar.add_argument("--no-balance", action="store_true", help="keep change-free training patches")


def _add_train(sub) -> None:
    p = sub.add_parser("train", help="train a model on folders of before.tif, after.tif, labels.(tif|gpkg)")
    _training_arguments(p)
    p.add_argument("--resume", action="store_true", help="continue from the .state.pt beside --out")
    p.add_argument("--cache", help="keep the chip cache in this folder (default: temporary)")
    p.set_defaults(func=_cmd_train)


def _cmd_pseudolabel(args: argparse.Namespace) -> int:
    from .train.pseudo import pseudolabel

    with ProgressBar(not args.quiet) as bar:
        result = pseudolabel(
            args.data,
            args.unlabelled,
            args.out,
            _training_options(args),
            q=args.fraction,
            c=args.confidence,
            progress=bar,
            log=bar.log,
            arch=args.arch,
            teacher=args.teacher,
        )
    info = result["pseudo_labelling"]
    print(f"kept {info['kept']} of {info['candidates']} unlabelled patches as pseudo-labels")
    _print_training(result)
    return 0


def _add_pseudolabel(sub) -> None:
    p = sub.add_parser(
        "pseudolabel", help="train, pseudo-label unlabelled pairs, retrain (SAR paper, Alg. 1)"
    )
    _training_arguments(p, arch=False)
    p.add_argument(
        "--unlabelled", required=True, nargs="+", help="folders with before.tif, after.tif (no labels)"
    )
    p.add_argument("--confidence", type=float, default=0.85, help="c: pixel confidence (default 0.85)")
    p.add_argument(
        "--teacher",
        help="a model already trained on the --data folders with the same options: used as the teacher "
        "instead of training one",
    )
    p.add_argument(
        "--fraction", type=float, default=0.9, help="q: confident fraction of a patch (default 0.9)"
    )
    p.set_defaults(func=_cmd_pseudolabel, arch="sarunet")


def _cmd_crosssite(args: argparse.Namespace) -> int:
    from .sar.crosssite import cross_site

    result = cross_site(
        args.sites,
        args.out,
        args.unlabelled or (),
        tuple(range(args.seeds)),
        args.epochs,
        args.batch,
        args.device,
        log=lambda m: print(m, file=sys.stderr),
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


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from .metrics import evaluate_files, format_table

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


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import demo_report

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
    from .weights import RECIPES, make_weights

    names = args.names.split(",") if args.names else list(RECIPES)
    unknown = [n for n in names if n not in RECIPES]
    if unknown:
        raise MineCDError(f"unknown demo model(s) {', '.join(unknown)}: choose from {', '.join(RECIPES)}")
    reuse = dict(item.split("=", 1) for item in args.reuse or [])
    manifest = make_weights(
        names, Path(args.work), args.device, reuse, log=lambda m: print(m, file=sys.stderr)
    )
    print(json.dumps(manifest, indent=2))
    return 0


def _add_weights(sub) -> None:
    p = sub.add_parser("weights", help="train and bundle the demo models (make weights)")
    p.add_argument("--names", help="comma-separated: insinet-demo, sarunet-demo (default: both)")
    p.add_argument("--work", default="build/weights", help="where training sites and runs are kept")
    p.add_argument("--device", default="auto")
    p.add_argument("--reuse", action="append", help="NAME=CHECKPOINT trained by the recipe already")
    p.set_defaults(func=_cmd_weights)


def _cmd_analysis(args: argparse.Namespace) -> int:
    import tempfile

    from .analysis import ring_analysis, scale_analysis
    from .reference import ensure_sites

    detectors = dict(item.split("=", 1) if "=" in item else (Path(item).stem, item) for item in args.detector)
    scenes = (
        [Path(s) for s in args.scenes]
        if args.scenes
        else ensure_sites("optical", Path(args.data), log=lambda m: None)
    )
    log = lambda m: print(m, file=sys.stderr)  # noqa: E731
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


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="python -m engine", description="MineCD: change detection for open-pit mines.")
    parser.add_argument("--version", action="version", version=f"MineCD {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)
    env = sub.add_parser("env", help="report versions, CUDA devices and missing packages (JSON)")
    env.set_defaults(func=_cmd_env)
    _add_detect(sub)
    _add_coherence(sub)
    _add_bench(sub)
    _add_synth(sub)
    _add_reference(sub)
    _add_model_info(sub)
    _add_train(sub)
    _add_pseudolabel(sub)
    _add_crosssite(sub)
    _add_evaluate(sub)
    _add_report(sub)
    _add_weights(sub)
    _add_analysis(sub)
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
