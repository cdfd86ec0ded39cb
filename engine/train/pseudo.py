"""Pseudo-labelling (Murdaca et al. 2023, Algorithm 1).

Train on the labelled set D; predict the unlabelled patches U; keep the patches where more than
q = 90 % of the valid pixels are confident (P > c or P < 1 − c, c = 0.85); take at most |D| of
them (most confident first) with labels P > 0.5; retrain from scratch on D ∪ pseudo-labelled.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import numpy as np

from ..archs import build_model
from ..errors import MineCDError
from .dataset import IGNORE, ChipSet, Scene, build_chips
from .run import Options, fit, make_task, prepare


def select_pseudo_labels(
    prob: np.ndarray, valid: np.ndarray, q: float = 0.9, c: float = 0.85, limit: int | None = None
):
    """Indices of the kept patches (most confident first) and their labels (255 = no data)."""
    confident = ((prob > c) | (prob < 1 - c)) & valid
    counts = valid.reshape(len(prob), -1).sum(axis=1)
    fraction = np.divide(
        confident.reshape(len(prob), -1).sum(axis=1), counts, out=np.zeros(len(prob)), where=counts > 0
    )
    keep = np.flatnonzero(fraction > q)
    keep = keep[np.argsort(-fraction[keep], kind="stable")]
    if limit is not None:
        keep = keep[:limit]
    labels = np.where(valid[keep], (prob[keep] > 0.5).astype(np.uint8), IGNORE).astype(np.uint8)
    return keep, labels


def predict_chips(task, model, chips: ChipSet, device: str, batch: int = 16) -> np.ndarray:
    import torch

    model.eval().to(device)
    out = np.zeros((len(chips),) + chips.labels.shape[1:], dtype=np.float32)
    with torch.no_grad():
        for i in range(0, len(chips), batch):
            idx = np.arange(i, min(i + batch, len(chips)))
            b = {
                role: torch.from_numpy(np.asarray(chips.arrays[role][idx], np.float32)).to(device)
                for role in chips.roles
            }
            b["labels"] = torch.from_numpy(np.asarray(chips.labels[idx], np.int64)).to(device)
            out[idx] = task.probability(task.forward(model, b)).cpu().numpy()
    return out


def label_pool(prepared, o, model, folder: Path, q: float, c: float):
    """The cached unlabelled chips in ``folder``, predicted by ``model``, and the kept patches.

    Returns (pool, kept indices, their labels, valid pixels of the pool); at most as many
    patches are kept as there are training chips.
    """
    from ..torch_runner import resolve_device

    pool = ChipSet(folder, "unlabelled")
    prob = predict_chips(make_task(prepared, o), model, pool, resolve_device(o.device))
    valid = np.asarray(pool.labels) != IGNORE
    keep, labels = select_pseudo_labels(prob, valid, q, c, limit=len(prepared.chips["train"]))
    return pool, keep, labels, valid


def combined_cache(
    base: Path, pseudo: Path, keep: np.ndarray, labels: np.ndarray, target: Path
) -> dict[str, ChipSet]:
    """A cache whose train split is D_train + the kept pseudo-labelled chips; val/test are D's."""
    target.mkdir(parents=True, exist_ok=True)
    order = np.argsort(keep)  # memmaps read fastest in file order
    keep, labels = keep[order], labels[order]
    train, unlabelled = ChipSet(base, "train"), ChipSet(pseudo, "unlabelled")
    n = len(train) + len(keep)
    for role in train.roles:
        arr = np.lib.format.open_memmap(
            target / f"train_{role}.npy", "w+", np.float16, (n,) + train.arrays[role].shape[1:]
        )
        arr[: len(train)] = train.arrays[role]
        if len(keep):
            arr[len(train) :] = unlabelled.arrays[role][keep]
        arr.flush()
    lab = np.lib.format.open_memmap(
        target / "train_labels.npy", "w+", np.uint8, (n,) + train.labels.shape[1:]
    )
    lab[: len(train)] = train.labels
    lab[len(train) :] = labels
    lab.flush()
    sources = train.sources + [["pseudo"] + unlabelled.sources[i][1:] for i in keep]
    (target / "train.json").write_text(json.dumps({"roles": train.roles, "count": n, "sources": sources}))
    for split in ("val", "test"):
        for f in base.glob(f"{split}*"):
            link = target / f.name
            if not link.exists():
                link.symlink_to(f.resolve())
    return {s: ChipSet(target, s) for s in ("train", "val", "test")}


def _teacher_result(path: Path, meta: dict) -> dict:
    """The summary ``fit`` would return, read back from a finished checkpoint's metadata."""
    metrics = meta.get("metrics", {})
    return {
        "checkpoint": str(path),
        "best_epoch": metrics.get("best_epoch", -1),
        "metrics": metrics,
        "history": str(path.with_suffix(".csv")),
    }


def _check_teacher(path: Path, meta: dict, prepared) -> None:
    same = (
        meta["arch"] == prepared.arch
        and meta.get("inputs") == prepared.inputs
        and meta.get("normalisation") == prepared.normalisation
    )
    if not same:
        raise MineCDError(
            f"{path}: the teacher must be trained on the same labelled data and inputs "
            "(architecture, input channels and normalisation differ)"
        )


def keep_the_teacher(teacher: Path, ckpt, model, out: Path, info: dict) -> None:
    """No patch kept: D ∪ ∅ = D, so the student from scratch (same seed) is the teacher itself."""
    from ..checkpoint import save_checkpoint

    meta = json.loads(json.dumps(ckpt.metadata))
    meta.setdefault("training", {}).update(info)
    save_checkpoint(out, model, meta)
    for suffix in (".csv", ".png"):
        if teacher.with_suffix(suffix).exists():
            shutil.copyfile(teacher.with_suffix(suffix), out.with_suffix(suffix))


def pseudolabel(
    data,
    unlabelled,
    out,
    options: Options | None = None,
    q: float = 0.9,
    c: float = 0.85,
    progress=None,
    cancel=None,
    log=print,
    arch: str = "sarunet",
    teacher: str | Path | None = None,
) -> dict:
    """Teacher on ``data``, pseudo-labels on ``unlabelled``, student from scratch on both.

    ``teacher``: a checkpoint already trained on ``data`` with the same options (and seed), used
    instead of training the teacher again.
    """

    o = options or Options()
    out = Path(out)
    if not unlabelled:
        raise MineCDError("pseudo-labelling needs unlabelled scene folders (--unlabelled)")
    work = Path(tempfile.mkdtemp(prefix="minecd-pseudo-", dir=out.parent))

    def part(a, b):
        return (lambda f, m: progress(a + (b - a) * f, m)) if progress else None

    try:
        prepared = prepare(arch, data, o, work / "labelled", part(0.0, 0.05), log)
        from ..checkpoint import load_checkpoint

        if teacher is None:
            log("teacher: training on the labelled data")
            teacher = work / "teacher.pt"
            teacher_result = fit(prepared, teacher, o, part(0.05, 0.45), cancel, log)
            ckpt = load_checkpoint(teacher)
        else:
            teacher = Path(teacher)
            ckpt = load_checkpoint(teacher)
            _check_teacher(teacher, ckpt.metadata, prepared)
            log(f"teacher: {teacher}")
            teacher_result = _teacher_result(teacher, ckpt.metadata)
        model = build_model(ckpt)
        scenes = [Scene.from_dir(d, extra_names=("coherence",), labelled=False) for d in unlabelled]
        scenes = [Scene(s.before, s.after, None, f"u{i}_{s.name}", s.extra) for i, s in enumerate(scenes)]
        build_chips(
            scenes, prepared.spec, prepared.maker, work / "unlabelled", part(0.45, 0.5), labelled=False
        )
        pool, keep, labels, _ = label_pool(prepared, o, model, work / "unlabelled", q, c)
        limit = len(prepared.chips["train"])
        log(f"pseudo-labels: kept {len(keep)} of {len(pool)} patches (q={q}, c={c}, at most {limit})")
        info = {
            "pseudo_labelling": {
                "unlabelled": [str(d) for d in unlabelled],
                "candidates": len(pool),
                "kept": int(len(keep)),
                "q": q,
                "c": c,
                "teacher_test_f1": teacher_result["metrics"].get("test", {}).get("f1"),
            }
        }
        if not len(keep):
            log("student: no patch kept, so training on the labelled data alone gives the teacher back")
            keep_the_teacher(teacher, ckpt, model, out, info)
            result = {**teacher_result, "checkpoint": str(out), "history": str(out.with_suffix(".csv"))}
            result.update(info)
            return result
        chips = combined_cache(work / "labelled", work / "unlabelled", keep, labels, work / "combined")
        log("student: training from scratch on labelled + pseudo-labelled data")
        result = fit(prepared, out, o, part(0.5, 1.0), cancel, log, chips=chips, extra_training=info)
        result.update(info)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)
