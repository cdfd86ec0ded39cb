"""``train``: from folders of (before, after, labels) to a checkpoint with metrics.

Two steps shared by every model and by pseudo-labelling: ``prepare`` (scenes, chip maker,
cached chips and normalisation) and ``fit`` (model, task, trainer, checkpoint metadata).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from .. import archs
from ..errors import MineCDError
from ..raster import InputStack, gdal_env
from .dataset import ChipSet, ChipSpec, Scene, build_chips
from .init import Init, channel_names, load_weights, resolve
from .trainer import TrainConfig, Trainer


@dataclass
class Options:
    """Everything ``train`` can be told; None means the architecture's default."""

    epochs: int | None = None
    batch: int | None = None
    lr: float | None = None
    device: str = "auto"
    tile: int | None = None  # default: the --init model's, else 256
    split: str = "auto"
    assign: dict | None = None  # scene folder name -> train | val | test (split="given")
    overlap: bool = False
    seed: int = 0
    patience: int = 20
    steps_per_epoch: int | None = None
    augment: object | None = None  # the architecture's augmentation settings (default: all on)
    balanced: bool | None = None
    schedule: str | None = None  # constant | step (x0.1 at 90 %) | cosine (default: the architecture's)
    name: str | None = None
    description: str = ""
    # optical
    bands: list[int] | None = None
    variant: str = "insinet"
    standardise: str | None = None  # none | scene (default: the architecture's)
    change_weight: float | None = None  # weight of the change class in the loss (default: the init's, else 1)
    dice: float | None = None  # weight of a soft-Dice term on the change class (default: the init's, else 0)
    widths: dict | None = None
    # SAR
    sar_mode: str | None = None  # slc | amplitude+coherence | amplitude (default: from the data)
    coherence: bool | None = None  # default: when the data have it
    window: tuple[int, int] = (5, 5)
    units: str = "amplitude"
    remove_ramp: bool = False
    sar_widths: tuple[int, ...] | None = None
    extra: dict = field(default_factory=dict)
    init: str | None = None  # auto | none | a bundled model's name | a checkpoint (None: none)
    minutes: float | None = None  # wall-time budget; the best model so far is kept
    pseudo: bool = False  # pseudo-label the unlabelled part of the pairs and train on it too
    calibrate: bool = False  # decision threshold: the best validation F1's (else 0.5)
    classic_cue: str = "auto"  # blend a classic detector's score into the model (engine/train/cue.py)


@dataclass
class Prepared:
    arch: str
    scenes: list[Scene]
    maker: object
    spec: ChipSpec
    cache: Path
    summary: dict
    chips: dict[str, ChipSet]
    model_args: dict
    inputs: dict
    normalisation: dict
    init: Init | None = None
    options: Options | None = None  # completed from the init model


UNTIL_TIME_IS_UP = 10_000  # epochs when only a time budget is given


def _band_names(scene: Scene, bands: list[int]) -> list[str]:
    with gdal_env(), InputStack({"before": scene.before}) as stack:
        descriptions = stack.source("before").dataset.descriptions
        return [descriptions[b - 1] or f"band {b}" for b in bands]


def _pixel_size(scene: Scene) -> float | None:
    with gdal_env(), InputStack({"before": scene.before}) as stack:
        area = stack.grid.pixel_area_m2()
        return round(area**0.5, 4) if area else None


def load_scenes(data: list) -> list[Scene]:
    """Scenes from folders (before.tif, after.tif, labels.tif|gpkg[, coherence.tif]) or Scene objects."""
    scenes = [d if isinstance(d, Scene) else Scene.from_dir(d, extra_names=("coherence",)) for d in data]
    if len({s.name for s in scenes}) < len(scenes):
        scenes = [replace(s, name=f"{i + 1}_{s.name}") for i, s in enumerate(scenes)]
    return scenes


def make_maker(arch: str, scenes: list[Scene], o: Options):
    """The chip maker, model arguments and input description for ``arch`` and the data."""
    maker, model_args, inputs = archs.get(arch).chip_maker(scenes, o)
    if "bands" in inputs:  # optical: the band names people see in the checkpoint
        inputs = {"bands": inputs["bands"], "band_names": _band_names(scenes[0], inputs["bands"]), **inputs}
    return maker, model_args, inputs


def prepare(arch: str, data: list[str | Path], o: Options, cache: Path, progress=None, log=print) -> Prepared:
    archs.get(arch)  # unknown names fail before any data is read
    scenes = load_scenes(data)
    bands = len(o.bands) if o.bands else len(scenes[0].usable_bands())
    init = resolve(o.init, arch, bands, _pixel_size(scenes[0]), log)
    o = with_init(o, init, bands)
    maker, model_args, inputs = make_maker(arch, scenes, o)
    spec = ChipSpec(o.tile, o.overlap, o.split, o.seed, o.assign)
    summary = build_chips(scenes, spec, maker, cache, progress, log=log)
    log(f"chips: {summary['counts']} ({summary['split_mode']} split)")
    chips = {s: ChipSet(cache, s) for s, n in summary["counts"].items() if n}
    normalisation = summary["normalisation"][maker.normalisation_group]
    return Prepared(
        arch, scenes, maker, spec, cache, summary, chips, model_args, inputs, normalisation, init, o
    )


def with_init(o: Options, init: Init | None, data_bands: int | None = None) -> Options:
    """Options completed from the model training starts from (its tile, variant, widths, inputs)."""
    if init is None:
        return replace(o, tile=o.tile or 256)
    meta = init.meta
    args = meta["model_args"]
    trained = meta.get("training", {})
    changes = {
        "tile": o.tile or meta["tile"],
        "change_weight": o.change_weight or trained.get("change_weight"),
        "dice": o.dice if o.dice is not None else trained.get("dice"),
    }
    if meta["arch"] == "insinet":
        known = meta["inputs"].get("bands") or []
        fits = known and data_bands is not None and max(known) <= data_bands
        changes["bands"] = o.bands or (list(known) if fits else None)
        changes.update(variant=args.get("variant", o.variant), widths=args.get("widths", o.widths))
        changes["standardise"] = o.standardise or meta["inputs"].get("standardise", "none")
    elif "widths" in args:
        changes["sar_widths"] = tuple(args["widths"])
    return replace(o, **changes)


def make_task(prepared: Prepared, o: Options):
    return archs.get(prepared.arch).task(prepared, o)


def fit(
    prepared: Prepared,
    out: Path,
    o: Options,
    progress=None,
    cancel=None,
    log=print,
    resume: bool = False,
    chips=None,
    extra_training: dict | None = None,
) -> dict:
    """Train a fresh model on ``prepared`` (or on ``chips``) and write the checkpoint ``out``."""
    import torch

    arch = archs.get(prepared.arch)
    recipe = arch.recipe
    torch.manual_seed(o.seed)  # the seed decides the initial weights too, whatever ran before
    model = arch.build(**prepared.model_args)
    if prepared.init is not None:
        load_weights(model, prepared.init, channel_names({"inputs": prepared.inputs}), log)
    # a time budget without epochs has no "90 % of the epochs": no step drop nor cosine, patience rules
    budget_only = bool(o.minutes and not o.epochs)
    schedule = o.schedule or ("step" if recipe["lr_drop_at"] else "constant")
    config = TrainConfig(
        epochs=o.epochs or (UNTIL_TIME_IS_UP if o.minutes else recipe["epochs"]),
        batch=o.batch or recipe["batch"],
        lr=o.lr or recipe["lr"],
        optimizer=recipe["optimizer"],
        weight_decay=recipe["weight_decay"],
        lr_drop_at=(recipe["lr_drop_at"] or 0.9) if schedule == "step" and not budget_only else None,
        cosine=schedule == "cosine" and not budget_only,
        balanced=recipe["balanced"] if o.balanced is None else o.balanced,
        patience=o.patience,
        seed=o.seed,
        device=o.device,
        steps_per_epoch=o.steps_per_epoch,
        minutes=o.minutes,
        from_model=prepared.init is not None,
        calibrate=o.calibrate,
    )
    task = make_task(prepared, prepared.options or o)
    scenes = prepared.scenes
    metadata = {
        "name": o.name or out.stem,
        "description": o.description,
        "arch": prepared.arch,
        "kind": arch.kind,
        "model_args": prepared.model_args,
        "inputs": prepared.inputs,
        "normalisation": prepared.normalisation,
        "tile": prepared.spec.tile,
        "context": bool(getattr(prepared.maker, "context", False)),
        "pixel_size_m": _pixel_size(scenes[0]),
        "classes": ["no change", "change"],
        "threshold": 0.5,
        "training": {
            "data": [str(s.before.parent) for s in scenes],
            "split": prepared.summary["split_mode"],
            "scenes": prepared.summary["scenes"],
            "chips": {k: len(v) for k, v in (chips or prepared.chips).items()},
            "overlap": prepared.spec.overlap,
            "augment": asdict(task.augment_config),
            "init": prepared.init.name if prepared.init else None,
            "change_weight": (prepared.options or o).change_weight or 1.0,
            "dice": (prepared.options or o).dice or 0.0,
            "labelled_pixels": prepared.summary.get("labelled_pixels"),
            **(extra_training or {}),
        },
    }
    trainer = Trainer(task, model, chips or prepared.chips, config, out, metadata, progress, cancel, log)
    result = trainer.fit(resume=resume)
    result["chips"] = metadata["training"]["chips"]
    return result


def train(
    arch: str,
    data: list[str | Path],
    out: str | Path,
    options: Options | None = None,
    resume: bool = False,
    cache: str | Path | None = None,
    progress=None,
    cancel=None,
    log=print,
    **overrides,
) -> dict:
    """Train ``arch`` on scene folders; returns the summary with validation and test metrics."""
    o = options or Options()
    for key, value in overrides.items():
        if not hasattr(o, key):
            raise TypeError(f"unknown training option {key!r}")
        setattr(o, key, value)
    out = Path(out)
    if not out.parent.is_dir():
        raise MineCDError(f"{out}: output folder {out.parent} does not exist")
    own_cache = cache is None
    cache = Path(cache) if cache else Path(tempfile.mkdtemp(prefix="minecd-chips-", dir=out.parent))

    def part(start, end):
        return (lambda f, m: progress(start + (end - start) * f, m)) if progress else None

    from .cue import check_choice, fit_classic_cue

    check_choice(o.classic_cue, archs.get(arch).kind)
    cue = o.classic_cue != "none"
    try:
        prepared = prepare(arch, data, o, cache, part(0.0, 0.1), log)
        end = 0.95 if cue else 1.0
        if o.pseudo:
            if resume:
                raise MineCDError("--resume and --pseudo do not go together: run again without --resume")
            from .selftrain import self_train

            result = self_train(prepared, out, prepared.options or o, part(0.1, end), cancel, log)
        else:
            result = fit(prepared, out, o, part(0.1, end), cancel, log, resume)
        if cue:
            if progress:
                progress(end, "weighing the classic cue on the validation blocks")
            result["classic_cue"] = fit_classic_cue(prepared, out, o.classic_cue, o.device, cancel, log)
        return result
    finally:
        if own_cache:
            shutil.rmtree(cache, ignore_errors=True)
