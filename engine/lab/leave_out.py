"""Leave-scenes-out evaluation: how a recipe does on scenes (cities, mines) it never saw.

The scenes are dealt into ``folds`` groups by name order. For each group, a model is trained on
the other scenes (one of them held for validation: early stopping and the model choice) and
run through the normal detection path on the whole held-out scenes; the held-out confusion
matrices give the per-fold F1 and the pooled F1. Nothing is fitted to a held-out scene.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import replace
from pathlib import Path

from ..errors import MineCDError
from ..metrics import Confusion, evaluate_files


def fold_groups(names: list[str], folds: int) -> list[list[str]]:
    if not 2 <= folds <= len(names):
        raise MineCDError(f"{folds} folds: need between 2 and {len(names)} (the number of scenes)")
    ordered = sorted(names)
    return [ordered[i::folds] for i in range(folds)]


def assignment(names: list[str], test: list[str], fold: int, validation: bool = True) -> dict[str, str]:
    """Held-out scenes -> test; one other scene (rotating with the fold) -> val; the rest -> train.

    Without ``validation`` every other scene trains (the model is then chosen on its training loss).
    """
    rest = [n for n in sorted(names) if n not in test]
    val = rest[fold % len(rest)] if validation else None
    return {n: "test" if n in test else "val" if n == val else "train" for n in names}


def fold_checkpoint(out: Path, fold: int) -> Path:
    return out / f"fold{fold}.pt"


def fold_models(result_file: Path) -> dict[str, str]:
    """{scene: the checkpoint of the fold that held it out} from a ``leave_scenes_out.json``."""
    result = json.loads(Path(result_file).read_text())
    rows = [r for r in result["per_scene_and_fold"] if r["scene"] != "(fold)"]
    return {r["scene"]: str(fold_checkpoint(Path(result_file).parent, r["fold"])) for r in rows}


def leave_scenes_out(
    arch: str,
    folders: list,
    out: Path,
    options,
    folds: int = 5,
    device="auto",
    log=print,
    validation: bool = True,
) -> dict:
    from ..detect import detect_changes
    from ..train.run import train

    folders = [Path(f) for f in folders]
    names = [f.name for f in folders]
    out.mkdir(parents=True, exist_ok=True)
    pooled, rows = Confusion(), []
    for k, test in enumerate(fold_groups(names, folds)):
        checkpoint = fold_checkpoint(out, k + 1)
        fold_options = replace(options, split="given", assign=assignment(names, test, k, validation))
        log(f"fold {k + 1}/{folds}: held out {', '.join(test)}")
        result = train(arch, folders, checkpoint, fold_options, log=log)
        fold = Confusion()
        for name in test:
            scene = next(f for f in folders if f.name == name)
            mask = out / f"fold{k + 1}_{name}.tif"
            detect_changes(scene / "before.tif", scene / "after.tif", checkpoint, mask, device=device)
            m = evaluate_files(mask, scene / "labels.tif")
            fold += Confusion(m["tp"], m["fp"], m["fn"], m["tn"])
            rows.append(
                {
                    "fold": k + 1,
                    "scene": name,
                    "f1": m["f1"],
                    "precision": m["precision"],
                    "recall": m["recall"],
                }
            )
        pooled += fold
        rows.append(
            {
                "fold": k + 1,
                "scene": "(fold)",
                **{key: fold.metrics()[key] for key in ("f1", "precision", "recall")},
            }
        )
        rows[-1]["best_epoch"] = result["best_epoch"]
        log(f"fold {k + 1}: held-out F1 {fold.metrics()['f1']:.4f}")
    fold_f1 = [r["f1"] for r in rows if r["scene"] == "(fold)"]
    summary = {
        "arch": arch,
        "scenes": names,
        "folds": folds,
        "validation_scene_per_fold": validation,
        "options": {k: v for k, v in vars(options).items() if k not in ("augment", "assign")},
        "per_scene_and_fold": rows,
        "fold_f1_mean": statistics.mean(fold_f1),
        "fold_f1_sd": statistics.stdev(fold_f1) if len(fold_f1) > 1 else 0.0,
        "pooled": pooled.metrics(),
    }
    (out / "leave_scenes_out.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary
