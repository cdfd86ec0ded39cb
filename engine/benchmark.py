"""``benchmark``: how detectors do on labelled folders, the way a surveyor checks a model on their
own mines before trusting it.

Each folder holds ``before.tif``, ``after.tif`` and its change labels (``labels.tif``: non-zero =
change, or ``labels.gpkg`` polygons); a folder of such folders counts as its scenes. Every
detector runs on every scene through the normal detection path; metrics come per scene and
pooled (one confusion matrix over all scenes, the field's convention), with a quicklook per scene.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import MineCDError
from .metrics import Confusion, evaluate_files
from .progress import Progress
from .request import parse_bands

KEYS = ("precision", "recall", "oa", "iou", "f1", "kappa")
LABEL_NAMES = ("labels.tif", "labels.gpkg")


@dataclass(frozen=True)
class DetectorRun:
    """One detector of the benchmark: ``LABEL=SPEC@BANDS:KEY=VALUE…`` (all but SPEC optional).

    Options are the detector's own, e.g. ``logratio:method=otsu`` or ``cva:window=5``.
    """

    label: str
    spec: str
    bands: tuple[int, ...] | None = None
    options: tuple[tuple[str, object], ...] = ()

    @classmethod
    def parse(cls, text: str) -> DetectorRun:
        text, *settings = text.strip().split(":")
        options = []
        for setting in settings:
            key, sep, value = setting.partition("=")
            if not sep or not key.strip():
                raise MineCDError(f"detector option '{setting}': expected KEY=VALUE, e.g. method=otsu")
            value = value.strip()
            options.append((key.strip(), int(value) if value.isdigit() else value))
        label, _, rest = text.partition("=") if "=" in text.split("@")[0] else ("", "", text)
        spec, _, bands = rest.partition("@")
        spec = spec.strip()
        if not spec:
            raise MineCDError(
                f"detector '{text}': expected SPEC, LABEL=SPEC or SPEC@BANDS (e.g. insinet-demo@3,2,1)"
            )
        parsed = parse_bands(bands) if bands else None
        default = Path(spec).stem if spec.lower().endswith((".pt", ".pth")) else spec
        default += (f"@{bands}" if bands else "") + "".join(f" {k}={v}" for k, v in options)
        return cls(label.strip() or default, spec, tuple(parsed or ()) or None, tuple(options))


def parse_detectors(items) -> list[DetectorRun]:
    """Comma-separated or repeated detector texts; a comma followed by a digit stays in the bands."""
    runs = []
    for item in [items] if isinstance(items, str) else items:
        parts: list[str] = []
        for piece in str(item).split(","):
            if parts and piece[:1].isdigit() and "@" in parts[-1]:
                parts[-1] += "," + piece  # insinet-demo@3,2,1
            elif piece.strip():
                parts.append(piece)
        runs += [DetectorRun.parse(p) for p in parts]
    if not runs:
        raise MineCDError("no detector given (e.g. --detectors cva,logratio,model.pt)")
    if len({r.label for r in runs}) < len(runs):
        raise MineCDError("two detectors share a label: name them LABEL=SPEC")
    return runs


def labelled_scenes(folders) -> list[Path]:
    """Scene folders (before.tif, after.tif, labels); a folder of scene folders gives each of them."""
    scenes = []
    for folder in map(Path, folders):
        if not folder.is_dir():
            raise MineCDError(f"{folder}: folder not found")
        if (folder / "before.tif").exists():
            scenes.append(folder)
            continue
        inside = sorted(p for p in folder.iterdir() if p.is_dir() and (p / "before.tif").exists())
        if not inside:
            raise MineCDError(f"{folder}: no before.tif here nor in its sub-folders")
        scenes += inside
    for scene in scenes:
        missing = [n for n in ("before.tif", "after.tif") if not (scene / n).exists()]
        if not any((scene / n).exists() for n in LABEL_NAMES):
            missing.append("labels.tif or labels.gpkg")
        if missing:
            raise MineCDError(f"{scene}: missing {', '.join(missing)}")
    if len({s.name for s in scenes}) < len(scenes):
        raise MineCDError("two scene folders have the same name: give folders with distinct names")
    return scenes


def _labels(scene: Path) -> Path:
    return next(scene / n for n in LABEL_NAMES if (scene / n).exists())


def benchmark(
    folders,
    detectors,
    out: str | Path,
    device: str = "auto",
    quicklooks: bool = True,
    progress=None,
    cancel=None,
    log=None,
) -> dict:
    """Run every detector on every scene; write ``out``/benchmark.json, benchmark.md and quicklooks."""
    from .detect import detect_changes

    runs = parse_detectors(detectors) if not all(isinstance(d, DetectorRun) for d in detectors) else detectors
    scenes = labelled_scenes(folders)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    report = Progress(progress, cancel, log)
    per_scene: dict[str, dict[str, dict]] = {}
    pooled = {run.label: Confusion() for run in runs}
    total = len(scenes) * len(runs)
    with tempfile.TemporaryDirectory(prefix="minecd-benchmark-", dir=out) as work:
        for s, scene in enumerate(scenes):
            per_scene[scene.name] = {}
            masks = {}
            for d, run in enumerate(runs):
                step = s * len(runs) + d
                report.stage(step / total, (step + 1) / total, f"{scene.name}: {run.label}")
                mask = Path(work) / f"{scene.name}_{d}.tif"
                try:
                    summary = detect_changes(
                        scene / "before.tif",
                        scene / "after.tif",
                        run.spec,
                        mask,
                        bands=list(run.bands) if run.bands else None,
                        device=device,
                        detector_options=dict(run.options),
                        progress=report.update,
                        cancel=report.cancel,
                    )
                except MineCDError as exc:
                    report.info(f"{scene.name}: {run.label} cannot run: {exc}")
                    per_scene[scene.name][run.label] = {"error": str(exc)}
                    continue
                metrics = evaluate_files(mask, _labels(scene))
                metrics["runtime_s"] = summary["runtime_s"]
                per_scene[scene.name][run.label] = metrics
                pooled[run.label] += Confusion(metrics["tp"], metrics["fp"], metrics["fn"], metrics["tn"])
                masks[run.label] = mask
            if quicklooks:
                _quicklook(scene, masks, per_scene[scene.name], out / "quicklooks" / f"{scene.name}.png")
    result = {
        "detectors": {
            r.label: {"spec": r.spec, "bands": list(r.bands) if r.bands else None, "options": dict(r.options)}
            for r in runs
        },
        "scenes": per_scene,
        "pooled": {label: {**c.metrics(), "scenes": _ran(per_scene, label)} for label, c in pooled.items()},
    }
    (out / "benchmark.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (out / "benchmark.md").write_text(markdown(result), encoding="utf-8")
    report.done()
    return result


def _ran(per_scene: dict, label: str) -> int:
    return sum(1 for runs in per_scene.values() if "error" not in runs.get(label, {"error": ""}))


def _row(name: str, label: str, m: dict) -> str:
    if "error" in m:
        return f"| {name} | {label} | " + " | ".join("–" for _ in KEYS) + " |"
    return f"| {name} | {label} | " + " | ".join(f"{100 * m[k]:.2f}" for k in KEYS) + " |"


def markdown(result: dict) -> str:
    """Pooled table first, then one row per scene and detector (percent)."""
    head = ["| scenes | detector | Pre | Rec | OA | IoU | F1 | Kappa |", "|---|---|---|---|---|---|---|---|"]
    lines = ["Pooled: one confusion matrix over every scene a detector ran on.", "", *head]
    for label, m in result["pooled"].items():
        lines.append(_row(f"all {m['scenes']}", label, m))
    lines += ["", "Per scene:", "", *head]
    for scene, runs in result["scenes"].items():
        lines += [_row(scene, label, m) for label, m in runs.items()]
    lines += ["", "Percent. – : the detector does not take these inputs."]
    return "\n".join(lines) + "\n"


def display_bands(path: Path) -> list[int]:
    """Red, green, blue by the band descriptions (e.g. 'red B04'), else the first three (or one)."""
    from .raster import open_raster

    with open_raster(path) as ds:
        names = [(d or "").lower() for d in ds.descriptions]
        picks = [
            next((i + 1 for i, n in enumerate(names) if c in n.split()), None)
            for c in ("red", "green", "blue")
        ]
        if all(picks):
            return picks
        return [1, 2, 3] if ds.count >= 3 else [1]


def _image(path: Path, bands: list[int]) -> np.ndarray:
    from .quicklook import read_decimated, stretch

    data = read_decimated(path, bands)
    if len(bands) == 3:
        return stretch(data)
    return stretch(np.repeat(np.abs(data[:1]), 3, axis=0))


def _quicklook(scene: Path, masks: dict, metrics: dict, png: Path) -> None:
    from .quicklook import outcome_image, read_decimated, save_panels

    bands = display_bands(scene / "before.tif")
    panels = [("before", _image(scene / "before.tif", bands)), ("after", _image(scene / "after.tif", bands))]
    labels = _labels(scene)
    truth = read_decimated(labels)[0] > 0 if labels.suffix == ".tif" else None
    if truth is not None:
        panels.append(("true change", truth.astype(np.float32)))
    for label, mask in masks.items():
        pred = read_decimated(mask)[0]
        if truth is None:
            image = (pred == 1).astype(np.float32)
        else:
            h, w = min(pred.shape[0], truth.shape[0]), min(pred.shape[1], truth.shape[1])
            image = outcome_image(pred[:h, :w], truth[:h, :w])
        panels.append((f"{label} (F1 {100 * metrics[label]['f1']:.1f}%)", image))
    save_panels(panels, png, f"{scene.name}: white true, red false, blue missed change")
