"""The few-shot protocol: label a few blocks of a pair, adapt a model, score the rest.

For each labelled scene folder: cut the scene into an 8 × 8 grid of blocks, keep the labels of
``fraction`` of the blocks (drawn with a fixed seed; 255 = not labelled elsewhere), the way a
user digitises a few areas here and there; train with the product's defaults and a time budget;
predict the whole scene through the normal detection path; score F1 on the *unlabelled* blocks,
next to a classic detector on the same blocks. Nothing is fitted to the scored blocks.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from ..errors import MineCDError
from ..metrics import Confusion, evaluate_files

GRID = 8
NOT_LABELLED = 255


def labelled_blocks(height: int, width: int, fraction: float, seed: int = 0) -> np.ndarray:
    """(H, W) bool: the pixels of the ``round(fraction · 64)`` blocks drawn with ``seed``."""
    count = round(fraction * GRID * GRID)
    chosen = np.random.default_rng(seed).permutation(GRID * GRID)[:count]
    rows = np.minimum(np.arange(height) * GRID // height, GRID - 1)
    cols = np.minimum(np.arange(width) * GRID // width, GRID - 1)
    block = rows[:, None] * GRID + cols[None, :]
    return np.isin(block, chosen)


def split_labels(scene: Path, work: Path, fraction: float, seed: int = 0) -> tuple[Path, Path]:
    """``work``/train (the pair + labels of the drawn blocks) and ``work``/score.tif (the rest)."""
    import rasterio

    from ..raster import open_raster  # (and no NotGeoreferencedWarning for pixel-grid scenes)

    train = work / "train"
    train.mkdir(parents=True, exist_ok=True)
    for name in ("before.tif", "after.tif"):
        target = train / name
        if not target.exists():
            target.symlink_to((scene / name).resolve())
    with open_raster(scene / "labels.tif") as src:
        profile, truth = src.profile, src.read(1)
        nodata = src.nodata
    known = np.ones(truth.shape, dtype=bool) if nodata is None else truth != nodata
    keep = labelled_blocks(*truth.shape, fraction, seed)
    truth = (truth > 0).astype(np.uint8)
    profile.update(dtype="uint8", nodata=NOT_LABELLED, count=1)
    for path, mask in ((train / "labels.tif", keep & known), (work / "score.tif", ~keep & known)):
        with rasterio.open(path, "w", **profile) as dst:
            dst.write(np.where(mask, truth, NOT_LABELLED).astype(np.uint8), 1)
    return train, work / "score.tif"


def quicklook(scene: Path, work: Path, classic: str) -> Path:
    """after | the labels given | adapted | classic (white TP, red FP, blue FN on scored blocks)."""
    from ..quicklook import outcome_image, read_decimated, save_panels, stretch

    after = read_decimated(scene / "after.tif")
    rgb = after[[2, 1, 0]] if after.shape[0] >= 3 else np.repeat(after[:1], 3, axis=0)
    given = read_decimated(work / "train" / "labels.tif")[0]
    scored = read_decimated(work / "score.tif")[0]
    shown = np.full(given.shape + (3,), 0.35, dtype=np.float32)  # grey: not labelled
    shown[given == 0], shown[given == 1] = (0.0, 0.0, 0.0), (0.95, 0.95, 0.95)
    panels = [("after", stretch(rgb)), ("labels given (grey: none)", shown)]
    for label, name in (("adapted", "adapted.tif"), (classic, "classic.tif")):
        outcome = outcome_image(read_decimated(work / name)[0], scored)
        outcome[scored == NOT_LABELLED] = 0.35
        panels.append((f"{label} on the other blocks", outcome))
    return save_panels(panels, work / "quicklook.png", title=scene.name)


def _score(mask: Path, score: Path) -> tuple[dict, Confusion]:
    m = evaluate_files(mask, score)
    return m, Confusion(m["tp"], m["fp"], m["fn"], m["tn"])


def run_fewshot(
    arch: str,
    folders: list,
    out: Path,
    options,
    fraction: float = 0.3,
    classic: str = "cva",
    init_for: dict[str, str] | None = None,
    seed: int = 0,
    device: str = "auto",
    log=print,
) -> dict:
    """The protocol over ``folders``; ``init_for`` overrides ``options.init`` per scene name
    (e.g. a leave-out fold model that never saw the scene)."""
    from ..detect import detect_changes
    from ..train.run import train

    out.mkdir(parents=True, exist_ok=True)
    pooled = {"adapted": Confusion(), "network": Confusion(), "classic": Confusion(), "init": Confusion()}
    rows = []
    for folder in map(Path, folders):
        name = folder.name
        work = out / name
        train_folder, score = split_labels(folder, work, fraction, seed)
        init = (init_for or {}).get(name, options.init)
        model = work / "model.pt"
        log(f"{name}: {fraction:.0%} of the blocks labelled, init {init}")
        started = time.perf_counter()
        try:
            result = train(arch, [train_folder], model, replace(options, init=init), log=log)
        except MineCDError as exc:  # e.g. the drawn blocks hold no change: the user could not train
            log(f"{name}: not adapted ({exc})")
            rows.append({"scene": name, "init": init, "error": str(exc)})
            continue
        seconds = time.perf_counter() - started
        before, after = folder / "before.tif", folder / "after.tif"
        detect_changes(before, after, model, work / "adapted.tif", device=device)
        adapted, conf = _score(work / "adapted.tif", score)
        pooled["adapted"] += conf
        alone = network_alone(model, work)
        if alone is not None:  # the adapted model carries a classic cue: also score it without
            detect_changes(before, after, alone, work / "network.tif", device=device)
            network, conf = _score(work / "network.tif", score)
        pooled["network"] += conf  # (the adapted model itself when it carries no cue)
        detect_changes(before, after, classic, work / "classic.tif", device=device)
        baseline, conf = _score(work / "classic.tif", score)
        pooled["classic"] += conf
        row = {
            "scene": name,
            "init": init,
            "adapted_f1": adapted["f1"],
            "network_alone_f1": network["f1"] if alone is not None else adapted["f1"],
            "classic_f1": baseline["f1"],
            "seconds": round(seconds, 1),
            "best_epoch": result["best_epoch"],
            **trained_facts(model),
        }
        if init not in (None, "none", "auto"):
            try:  # the init model as it is, without adaptation
                detect_changes(before, after, init, work / "init.tif", device=device)
                unadapted, conf = _score(work / "init.tif", score)
                row["init_f1"] = unadapted["f1"]
                pooled["init"] += conf
            except Exception as exc:  # e.g. a coherence model on amplitude-only data
                row["init_f1"] = None
                log(f"{name}: the init model cannot run as it is ({exc})")
        row["quicklook"] = str(quicklook(folder, work, classic))
        rows.append(row)
        log(f"{name}: adapted F1 {adapted['f1']:.4f}, {classic} F1 {baseline['f1']:.4f}")
    summary = {
        "arch": arch,
        "fraction": fraction,
        "grid": GRID,
        "seed": seed,
        "classic": classic,
        "minutes": options.minutes,
        "pseudo": bool(getattr(options, "pseudo", False)),
        "classic_cue": getattr(options, "classic_cue", "none"),
        "lr": options.lr,
        "scenes": rows,
        "pooled": {k: c.metrics() for k, c in pooled.items() if c.total},
    }
    (out / "fewshot.json").write_text(json.dumps(summary, indent=2))
    return summary


def network_alone(model: Path, work: Path) -> Path | None:
    """A copy of ``model`` without its classic cue (None: it has none)."""
    import shutil

    from ..checkpoint import load_checkpoint, update_metadata

    if not load_checkpoint(model).metadata.get("fusion"):
        return None
    alone = work / "network_alone.pt"
    shutil.copyfile(model, alone)
    update_metadata(alone, {"fusion": None})
    return alone


def trained_facts(model: Path) -> dict:
    """What the adapted checkpoint says about its training: labels, threshold, pseudo-labels."""
    from ..checkpoint import load_checkpoint

    meta = load_checkpoint(model).metadata
    pseudo = meta["training"].get("pseudo_labelling")
    facts = {"labelled_pixels": meta["training"].get("labelled_pixels"), "threshold": meta["threshold"]}
    if meta["training"].get("classic_cue"):
        facts["classic_cue"] = meta["training"]["classic_cue"]
    if pseudo:
        facts["pseudo_kept"] = pseudo["kept"]
    return facts


def markdown(summary: dict) -> str:
    rows = [
        f"Few-shot protocol: {summary['fraction']:.0%} of an {summary['grid']}×{summary['grid']} block grid "
        f"labelled (seed {summary['seed']}), {summary['minutes']} min budget"
        f"{', with pseudo-labels' if summary.get('pseudo') else ''}; F1 on the unlabelled blocks.",
        "",
        f"| scene | init | adapted F1 | network alone F1 | classic cue | {summary['classic']} F1 "
        "| init as is F1 | threshold | training s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in summary["scenes"]:
        if "error" in r:
            name = Path(str(r["init"])).name
            rows.append(f"| {r['scene']} | {name} | not adapted: {r['error']} | | | | | | |")
            continue
        init_f1 = f"{r['init_f1']:.3f}" if r.get("init_f1") is not None else "–"
        cue = r.get("classic_cue") or {}
        cue_text = "–" if not cue else ("kept" if cue.get("kept") else "not kept")
        rows.append(
            f"| {r['scene']} | {Path(str(r['init'])).name} | {r['adapted_f1']:.3f} "
            f"| {r.get('network_alone_f1', r['adapted_f1']):.3f} | {cue_text} | {r['classic_f1']:.3f} "
            f"| {init_f1} | {r.get('threshold', 0.5):.2f} | {r['seconds']:.0f} |"
        )
    pooled = summary["pooled"]
    init_f1 = f"{pooled['init']['f1']:.3f}" if "init" in pooled else "–"
    adapted, classic = pooled["adapted"]["f1"], pooled["classic"]["f1"]
    network = pooled.get("network", pooled["adapted"])["f1"]
    rows.append(f"| **pooled** | | **{adapted:.3f}** | {network:.3f} | | {classic:.3f} | {init_f1} | | |")
    return "\n".join(rows) + "\n"
