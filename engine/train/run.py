"""``train``: from folders of (before, after, labels) to a checkpoint with metrics."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from ..errors import MineCDError
from ..raster import InputStack, gdal_env
from .augment import AugmentConfig
from .dataset import ChipSet, ChipSpec, Scene, build_chips
from .trainer import TrainConfig, Trainer

# Paper defaults per architecture (overridable)
RECIPES = {
    "insinet": {
        "epochs": 200,
        "batch": 8,
        "lr": 1e-3,
        "optimizer": "adam",
        "normalisation": "zscore",
        "bands": 3,
    },
}


def _band_names(scene: Scene, bands: list[int]) -> list[str]:
    with gdal_env(), InputStack({"before": scene.before}) as stack:
        descriptions = stack.source("before").dataset.descriptions
        return [descriptions[b - 1] or f"band {b}" for b in bands]


def _pixel_size(scene: Scene) -> float | None:
    with gdal_env(), InputStack({"before": scene.before}) as stack:
        area = stack.grid.pixel_area_m2()
        return round(area**0.5, 4) if area else None


def train(
    arch: str,
    data: list[str | Path],
    out: str | Path,
    epochs: int | None = None,
    batch: int | None = None,
    lr: float | None = None,
    device: str = "auto",
    bands: list[int] | None = None,
    variant: str = "insinet",
    tile: int = 256,
    split: str = "auto",
    overlap: bool = False,
    seed: int = 0,
    patience: int = 20,
    steps_per_epoch: int | None = None,
    augment: AugmentConfig | None = None,
    widths: dict | None = None,
    resume: bool = False,
    cache: str | Path | None = None,
    name: str | None = None,
    description: str = "",
    progress=None,
    cancel=None,
    log=print,
) -> dict:
    """Train ``arch`` on scene folders; returns the summary with validation and test metrics."""
    if arch not in RECIPES:
        raise MineCDError(f"unknown architecture '{arch}' (known: {', '.join(RECIPES)})")
    recipe = RECIPES[arch]
    scenes = [Scene.from_dir(d) for d in data]
    if len({s.name for s in scenes}) < len(scenes):
        scenes = [
            Scene(s.before, s.after, s.labels, f"{i + 1}_{s.name}", s.extra) for i, s in enumerate(scenes)
        ]
    out = Path(out)
    if not out.parent.is_dir():
        raise MineCDError(f"{out}: output folder {out.parent} does not exist")
    band_list = bands or list(range(1, recipe["bands"] + 1))
    context = variant in ("quad", "insinet")
    spec = ChipSpec(tile, context, band_list, len(band_list), recipe["normalisation"], overlap, split, seed)

    own_cache = cache is None
    cache = Path(cache) if cache else Path(tempfile.mkdtemp(prefix="minecd-chips-", dir=out.parent))
    try:

        def chip_progress(f, m):
            if progress:
                progress(0.1 * f, m)

        summary = build_chips(scenes, spec, cache, chip_progress)
        log(f"chips: {summary['counts']} ({summary['split_mode']} split)")
        chips = {s: ChipSet(cache, s) for s in ("train", "val", "test")}

        from ..models.registry import build_model

        model_args = {"bands": len(band_list), "variant": variant}
        if widths:
            model_args["widths"] = widths
        model = build_model(arch, **model_args)
        config = TrainConfig(
            epochs=epochs or recipe["epochs"],
            batch=batch or recipe["batch"],
            lr=lr or recipe["lr"],
            optimizer=recipe["optimizer"],
            patience=patience,
            seed=seed,
            device=device,
            augment=augment or AugmentConfig(),
            steps_per_epoch=steps_per_epoch,
        )
        metadata = {
            "name": name or out.stem,
            "description": description,
            "arch": arch,
            "kind": "optical",
            "model_args": model_args,
            "inputs": {
                "bands": band_list,
                "band_names": _band_names(scenes[0], band_list),
                "count": len(band_list),
            },
            "normalisation": summary["normalisation"]["image"],
            "tile": tile,
            "context": context,
            "pixel_size_m": _pixel_size(scenes[0]),
            "classes": ["no change", "change"],
            "threshold": 0.5,
            "training": {
                "data": [str(d) for d in data],
                "split": summary["split_mode"],
                "scenes": summary["scenes"],
                "chips": summary["counts"],
                "overlap": overlap,
            },
        }
        from .tasks import InsinetTask

        def train_progress(f, m):
            if progress:
                progress(0.1 + 0.9 * f, m)

        trainer = Trainer(
            InsinetTask(context), model, chips, config, out, metadata, train_progress, cancel, log
        )
        result = trainer.fit(resume=resume)
        result["chips"] = summary["counts"]
        return result
    finally:
        if own_cache:
            shutil.rmtree(cache, ignore_errors=True)
