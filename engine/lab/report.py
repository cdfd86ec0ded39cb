"""Comparison of detections on labelled scenes: metrics table and quicklooks (the demo's report).

Quicklook panels follow the change-detection papers: before | after | truth | prediction, the
prediction coloured by outcome (true positive white, false positive red, false negative blue).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..metrics import evaluate_files
from ..quicklook import outcome_image, read_decimated, save_panels
from .synthetic.quicklook import scene_panels

KEYS = ("precision", "recall", "oa", "iou", "f1", "kappa")


def compare(
    scene: str | Path, predictions: dict[str, str | Path], out_png: str | Path, title: str = ""
) -> dict:
    """Metrics of each prediction (label -> mask) against the scene's labels, and one quicklook."""
    scene = Path(scene)
    metrics = {}
    panels = scene_panels(scene)
    truth = panels[-1][1]
    panels = panels[:2] + [panels[-1]]
    for label, mask in predictions.items():
        metrics[label] = evaluate_files(mask, scene / "labels.tif")
        pred = read_decimated(Path(mask))[0]
        shape = (min(pred.shape[0], truth.shape[0]), min(pred.shape[1], truth.shape[1]))
        panels.append(
            (
                f"{label} (F1 {100 * metrics[label]['f1']:.1f}%)",
                outcome_image(pred[: shape[0], : shape[1]], truth[: shape[0], : shape[1]] > 0.5),
            )
        )
    save_panels(panels, Path(out_png), title)
    return metrics


def markdown(results: dict[str, dict[str, dict]]) -> str:
    lines = ["| scene | detector | Pre | Rec | OA | IoU | F1 | Kappa |", "|---|---|---|---|---|---|---|---|"]
    for scene, per_detector in results.items():
        for label, m in per_detector.items():
            lines.append(f"| {scene} | {label} | " + " | ".join(f"{100 * m[k]:.2f}" for k in KEYS) + " |")
    lines.append("")
    lines.append(
        "Percent, one confusion matrix over each scene. Quicklooks: true positives white, "
        "false positives red, false negatives blue."
    )
    return "\n".join(lines) + "\n"


def demo_report(folder: str | Path, runs: list[tuple[str, str, str]]) -> dict:
    """``runs``: (scene name, detector label, mask path). Writes metrics.{md,json} and quicklooks."""
    folder = Path(folder)
    by_scene: dict[str, dict[str, str]] = {}
    for scene, label, mask in runs:
        by_scene.setdefault(scene, {})[label] = mask
    results = {}
    for scene, predictions in by_scene.items():
        scene_dir = folder / scene
        info = json.loads((scene_dir / "scene.json").read_text())
        title = f"{info['kind']} demo scene (seed {info['seed']}, never used in training)"
        results[scene] = compare(scene_dir, predictions, folder / f"quicklook_{scene}.png", title)
    (folder / "metrics.json").write_text(json.dumps(results, indent=2) + "\n")
    (folder / "metrics.md").write_text(markdown(results))
    return results
