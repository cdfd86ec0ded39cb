"""After training: weigh a classic detector's change score beside the network, on validation pixels.

Both run through the normal detection path on each training scene (the network exactly as a user
runs it, the classic detector fitted on the scene as always); a three-weight logistic blend of
their logits is fitted on the labelled pixels of the validation chips, with the training's class
weight, pulled towards "the network alone"; with too little change in validation, on all labelled
pixels. The blend is stored whenever it can be fitted and both weights come out positive (the
classic score pointing the way it should), unless it collapses: below half the network's F1 on
the fitting pixels (a fit on few, mostly training, pixels that switched the detections off: 10 %
of Aguas Claras labelled lost 0.2 F1 on its unseen blocks that way). Measured on ten real cities
(few-shot protocol): the blend beat the network alone on every city's unseen blocks, also where
its F1 on the fitting pixels was somewhat lower, so that F1 decides only against a collapse.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from ..checkpoint import load_checkpoint, update_metadata
from ..detectors import CLASSIC
from ..detectors.cue import bounded_logit, classic_for, fused
from ..errors import MineCDError
from ..metrics import Confusion
from .labels import labelled_pixels

CUE_CHOICES = ("auto", "none", *CLASSIC)
DEFAULT_CLASSIC = {"optical": "cva", "sar": "logratio"}
MIN_CHANGE_PIXELS = 200  # fewer change pixels in validation: too little to weigh a cue on
MAX_PIXELS = 400_000
PRIOR = 1e-3  # pull of the weights towards (1, 0, 0): the network alone
COLLAPSE = 0.5  # a blend below this share of the network's F1 on the fitting pixels is a failed fit


def check_choice(choice: str, kind: str | None = None) -> None:
    if choice not in CUE_CHOICES:
        raise MineCDError(f"classic cue '{choice}': use {', '.join(CUE_CHOICES)}")
    wanted = CLASSIC[choice].kind if choice in CLASSIC else None
    if kind and wanted and wanted != kind:
        raise MineCDError(f"classic cue '{choice}' is for {wanted} data; this model is {kind}")


def fit_blend(x: np.ndarray, y: np.ndarray, weight: np.ndarray, steps: int = 60) -> np.ndarray:
    """Weighted logistic regression of ``y`` on the two logits ``x`` (P, 2) (Newton steps)."""
    design = np.column_stack([x.astype(np.float64), np.ones(len(x))])
    prior = np.array([1.0, 0.0, 0.0])
    beta = prior.copy()
    w = weight / weight.sum()
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ beta, -30, 30)))
        grad = design.T @ (w * (p - y)) + PRIOR * (beta - prior)
        hess = (design * (w * p * (1 - p))[:, None]).T @ design + PRIOR * np.eye(3)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-7:
            break
    return beta


def _network_prob(x: np.ndarray) -> np.ndarray:
    """The network's probability back from the pixels' first logit column."""
    return 1.0 / (1.0 + np.exp(-x[:, 0].astype(np.float64)))


def judge(x: np.ndarray, y: np.ndarray, beta: np.ndarray, threshold: float = 0.5) -> dict:
    """Whether the blend ``beta`` is kept, judged on the fitting pixels' logits ``x`` and truth ``y``."""
    network = _network_prob(x)
    alone = f1(network >= threshold, y)
    blended = f1(fused(network, x[:, 1], beta) >= 0.5, y)
    collapsed = blended < COLLAPSE * alone
    decision = {
        "kept": bool(beta[0] > 0 and beta[1] > 0 and not collapsed),
        "weights": [round(float(b), 5) for b in beta],
        "pixels": int(len(y)),
        "change_pixels": int(y.sum()),
        "f1": {"network": round(alone, 5), "blend": round(blended, 5)},
    }
    if collapsed:
        decision["why"] = "the blend turned off most of the network's detections on the fitting pixels"
    return decision


def f1(pred: np.ndarray, truth: np.ndarray) -> float:
    return Confusion().add(pred, truth).metrics()["f1"]


def recalibrated(meta: dict, prob: np.ndarray, truth: np.ndarray, fitted_on: str) -> dict:
    """A calibrated model's decision threshold chosen again on the blended probability."""
    from .trainer import THRESHOLD_CANDIDATES

    scores = {float(t): f1(prob >= t, truth) for t in THRESHOLD_CANDIDATES}
    best = max(scores, key=lambda t: (round(scores[t], 6), -abs(t - 0.5)))
    chosen = {
        "value": best,
        "chosen_on": f"F1 of the blend with the classic cue, on the {fitted_on}",
        "validation_f1": round(scores[best], 5),
        "validation_f1_at_0.5": round(scores[0.5], 5),
    }
    return {"threshold": best, "metrics": {**meta["metrics"], "threshold": chosen}}


def _offset(dataset, reference) -> tuple[int, int]:
    """(col, row) of ``dataset``'s origin on ``reference``'s pixel grid."""
    inverse = ~reference.transform
    col, row = inverse * (dataset.transform.c, dataset.transform.f)
    return round(col), round(row)


def _chip_pixels(prepared, scene, chips, indices, network_tif, classic_tif) -> tuple:
    """The chips' labelled pixels: their two logits (P, 2) and truth, per chip."""
    import rasterio
    from rasterio.windows import Window

    from ..raster import gdal_env, open_raster
    from ..tiling import TileGrid

    maker, tile = prepared.maker, prepared.spec.tile
    with gdal_env(), scene.open(maker.bands, maker.band_count, maker.extra) as stack:
        grid = TileGrid(stack.extent, tile)  # the chips' grid (the unshifted one)
    xs, ys = [], []
    with (
        open_raster(scene.before) as ref,
        rasterio.open(network_tif) as net,
        rasterio.open(classic_tif) as cls,
    ):
        col0, row0 = _offset(net, ref)
        for i, row, col in indices:
            labels = np.asarray(chips.labels[i])
            chip = grid.window(row, col)
            window = Window(chip.col - col0, chip.row - row0, tile, tile)
            p_net = net.read(1, window=window, boundless=True, fill_value=-1.0)
            p_cls = cls.read(1, window=window, boundless=True, fill_value=-1.0)
            use = labelled_pixels(labels) & (p_net >= 0) & (p_cls >= 0)
            xs.append(np.stack([bounded_logit(p_net[use]), bounded_logit(p_cls[use])], axis=1))
            ys.append(labels[use] == 1)
    return xs, ys


def _scene_chips(chips, scene: str) -> list[tuple[int, int, int]]:
    """(index, tile row, tile col) of the chips cut from ``scene`` on the unshifted grid."""
    return [(i, r, c) for i, (s, g, r, c) in enumerate(chips.sources) if s == scene and not g]


def _labelled_logits(prepared, checkpoint: Path, meta, name, tmp: Path, device, cancel) -> dict:
    """Per split (train, val): the two logits (P, 2) and truth (P,) of its chips' labelled pixels,
    both detectors run once per scene through the detection path."""
    from ..detect import detect_changes

    found = {split: ([], []) for split in ("train", "val") if split in prepared.chips}
    for n, scene in enumerate(prepared.scenes):
        chips = {split: _scene_chips(prepared.chips[split], scene.name) for split in found}
        if not any(chips.values()):
            continue
        extra = {k: v for k, v in scene.extra.items() if k in meta["inputs"].get("channels", ())}
        outputs = {}
        for label, detector in (("network", checkpoint), ("classic", classic_for(meta, name))):
            outputs[label] = tmp / f"{n}_{label}_prob.tif"
            detect_changes(
                scene.before, scene.after, detector, tmp / f"{n}_{label}.tif", prob_out=outputs[label],
                bands=meta["inputs"].get("bands"), aoi=scene.aoi, device=device, runtime="torch",
                extra_inputs=extra if label == "network" else None, cancel=cancel,
            )  # fmt: skip
        for split, indices in chips.items():
            xs, ys = _chip_pixels(
                prepared, scene, prepared.chips[split], indices, outputs["network"], outputs["classic"]
            )
            found[split][0].extend(xs)
            found[split][1].extend(ys)
    return {
        split: (np.concatenate(xs), np.concatenate(ys)) for split, (xs, ys) in found.items() if xs
    }  # fmt: skip


def fit_classic_cue(prepared, checkpoint: Path, choice: str, device: str = "auto", cancel=None, log=print):
    """Weigh the classic cue on the validation pixels (on all labelled pixels when validation holds
    too little change) and store it in ``checkpoint``. Returns the decision."""
    meta = load_checkpoint(checkpoint).metadata
    name = DEFAULT_CLASSIC[meta["kind"]] if choice == "auto" else choice
    check_choice(name, meta["kind"])
    with tempfile.TemporaryDirectory(prefix="minecd-cue-", dir=checkpoint.parent) as tmp:
        pixels = _labelled_logits(prepared, checkpoint, meta, name, Path(tmp), device, cancel)
    fitted_on = "validation pixels"
    x, y = pixels.get("val", (np.zeros((0, 2)), np.zeros(0, dtype=bool)))
    if y.sum() < MIN_CHANGE_PIXELS and "train" in pixels:
        fitted_on = "training and validation pixels (validation holds too little change)"
        x, y = np.concatenate([pixels["train"][0], x]), np.concatenate([pixels["train"][1], y])
    decision = {"classic": name, "kept": False, "fitted_on": fitted_on}
    if y.sum() < MIN_CHANGE_PIXELS:
        log(f"classic cue ({name}): {int(y.sum())} labelled change pixels, too few to weigh it on")
        update_metadata(checkpoint, {"training": {**meta["training"], "classic_cue": decision}})
        return {**decision, "why": "too few labelled change pixels"}
    if len(y) > MAX_PIXELS:
        keep = np.random.default_rng(0).choice(len(y), MAX_PIXELS, replace=False)
        x, y = x[keep], y[keep]
    change_weight = float(meta["training"].get("change_weight") or 1.0)
    beta = fit_blend(x, y.astype(np.float64), np.where(y, change_weight, 1.0))
    decision.update(judge(x, y, beta, float(meta.get("threshold", 0.5))))
    kept, scores = decision["kept"], decision["f1"]
    log(
        f"classic cue ({name}) on the {fitted_on.split(' (')[0]}: F1 {scores['network']:.4f} alone, "
        f"{scores['blend']:.4f} blended: {'kept in the model' if kept else 'the network alone'}"
        + (f" ({decision['why']})" if "why" in decision else "")
    )
    changes = {"training": {**meta["training"], "classic_cue": decision}}
    if kept:
        changes.update(fusion={"classic": name, "weights": decision["weights"]}, threshold=0.5)
        if "threshold" in meta.get("metrics", {}):  # --calibrate: chosen again, on the blend
            changes.update(recalibrated(meta, fused(_network_prob(x), x[:, 1], beta), y, fitted_on))
    update_metadata(checkpoint, changes)
    return decision
