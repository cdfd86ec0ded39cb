"""The bundled demo models: reproducible recipes, reference metrics, manifest and checksums.

``python -m engine weights`` (``make weights``) generates the synthetic training sites, trains
each model with fixed seeds (CUDA when available, CPU otherwise), measures it on the reference
benchmark (held-out seeds 9000+), stores recipe and metrics in the checkpoint, and writes
``resources/models/models.json`` and ``SHA256SUMS``. The demo models are trained on synthetic
scenes; ``insinet-s2`` is trained on real Sentinel-2 cities (OSCD, in ``../shared/realdata``),
scored by leave-cities-out (``python -m engine leaveout``) and on Nantes, which it never sees.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..archs import build_model
from ..bundled import MODELS_DIR, sha256
from ..checkpoint import load_checkpoint, save_checkpoint
from ..errors import MineCDError

REAL_DATA = Path("../shared/realdata")
S2_CITIES = [
    "abudhabi",
    "aguasclaras",
    "beihai",
    "bercy",
    "bordeaux",
    "hongkong",
    "mumbai",
    "paris",
    "rennes",
]
S2_UNSEEN = "nantes"  # the demo's city: never trained on, nor used to choose the model


def model_card(name: str, reference_f1: float | None = None, unseen_f1: float | None = None) -> str:
    """The description stored with a bundled model: its data, its score, its limits."""
    recipe = RECIPES[name]
    data = recipe["data"]
    if "real" in data:
        return (
            f"Sentinel-2 model (bands B02, B03, B04, B08 at 10 m, top-of-atmosphere reflectance) trained on "
            f"{len(data['scenes'])} real cities of the OSCD dataset (Daudt et al. 2018, CC BY 4.0): "
            "urban change (new buildings, roads, construction), not mines. F1 "
            f"{reference_f1:.3f} pooled over the same cities, each scored by a model that never saw it "
            f"(leave-cities-out, 5 folds); F1 {unseen_f1:.3f} on Nantes, kept out of training. A starting "
            "point for Sentinel-2 pairs: check it on your own labelled mines (benchmark) and fine-tune."
        )
    first, last = data["seed"] * 1000 + 1, data["seed"] * 1000 + data["sites"]
    score = f"; F1 {reference_f1:.3f} on the 4 held-out reference sites (seeds 9000+)" if reference_f1 else ""
    return (
        f"Demo model trained on {data['sites']} synthetic {recipe['kind'].replace('sar', 'SAR')} sites of "
        f"{data['size']}² px from MineCD's own generator (site seeds {first}–{last}){score}. It shows the "
        "workflow; it has never seen real imagery: for real mines, train on your own data."
    )


RECIPES = {
    "insinet-demo": {
        "title": "INSINet demo (optical RGB, synthetic)",
        "arch": "insinet",
        "kind": "optical",
        "file": "insinet_demo.pt",
        "data": {"kind": "optical", "sites": 10, "size": 2048, "seed": 3},
        "train": {"epochs": 30, "patience": 8, "seed": 0},
        "reference": "optical",
    },
    "sarunet-demo": {
        "title": "SAR U-Net demo (SLC amplitude + coherence, synthetic)",
        "arch": "sarunet",
        "kind": "sar",
        "file": "sarunet_demo.pt",
        "data": {"kind": "sar", "sites": 12, "size": 1024, "seed": 4},
        "train": {"epochs": 60, "patience": 20, "seed": 0, "batch": 32},
        "reference": "sar",
    },
    "insinet-s2": {
        "title": "INSINet Sentinel-2 (4 bands, 10 m, real OSCD cities)",
        "arch": "insinet",
        "kind": "optical",
        "file": "insinet_s2.pt",
        "data": {"real": "oscd", "scenes": S2_CITIES, "validation": S2_CITIES[0], "test": S2_UNSEEN},
        "train": {
            "epochs": 40,
            "patience": 12,
            "seed": 0,
            "tile": 128,
            "overlap": True,
            "balanced": True,
            "bands": [1, 2, 3, 4],
            "standardise": "scene",
            "change_weight": 5.0,
        },
        "reference": "leave-cities-out",
        "leave_out": "resources/benchmarks/real_insinet_s2_leave_cities_out.json",
    },
}


def real_scenes(recipe: dict, root: Path = REAL_DATA) -> list[Path]:
    """The recipe's real scene folders (training cities + the unseen test city)."""
    data = recipe["data"]
    folders = [root / data["real"] / name for name in [*data["scenes"], data["test"]]]
    missing = [str(f) for f in folders if not (f / "labels.tif").exists()]
    if missing:
        raise MineCDError(f"real training data missing ({', '.join(missing)}): see {root}/README.md")
    return folders


def train_recipe(name: str, work: Path, device: str = "auto", log=print) -> Path:
    """Generate the recipe's sites (cached) and train; returns the checkpoint path in ``work``."""
    from ..train.run import Options, train
    from .synthetic import generate_dataset, is_current, site_name

    recipe = RECIPES[name]
    data = recipe["data"]
    if "real" in data:
        return _train_real(name, work, device, log)
    folder = work / name
    sites = [folder / site_name(i) for i in range(1, data["sites"] + 1)]
    if not all(is_current(site, data["size"]) for site in sites):  # cached sites, if still current
        generate_dataset(data["kind"], folder, sites=data["sites"], size=data["size"], seed=data["seed"])
    out = work / f"{name}.pt"
    options = Options(device=device, name=name, **recipe["train"])
    train(recipe["arch"], sorted(folder.glob("site_*")), out, options, log=log)
    return out


def _train_real(name: str, work: Path, device: str, log) -> Path:
    from ..train.run import Options, train

    recipe = RECIPES[name]
    data, folders = recipe["data"], real_scenes(recipe)
    assign = {f.name: "train" for f in folders} | {data["validation"]: "val", data["test"]: "test"}
    out = work / f"{name}.pt"
    options = Options(device=device, name=name, split="given", assign=assign, **recipe["train"])
    train(recipe["arch"], folders, out, options, log=log)
    return out


def _real_scores(recipe: dict, checkpoint: Path, work: Path, device) -> tuple[dict, dict]:
    """(leave-cities-out pooled metrics from the recipe's result file, metrics on the unseen city)."""
    from ..detect import detect_changes
    from ..metrics import evaluate_files

    leave_out = json.loads(Path(recipe["leave_out"]).read_text())
    scene = real_scenes(recipe)[-1]
    mask = work / f"{scene.name}_mask.tif"
    detect_changes(scene / "before.tif", scene / "after.tif", checkpoint, mask, device=device)
    unseen = evaluate_files(mask, scene / "labels.tif")
    pooled = {**leave_out["pooled"], "benchmark": f"leave-cities-out, {leave_out['folds']} folds"}
    return pooled, {k: unseen[k] for k in ("precision", "recall", "oa", "iou", "f1", "kappa")}


def publish(
    name: str,
    checkpoint: Path,
    target: Path = MODELS_DIR,
    reference_data: Path | None = None,
    device="auto",
    log=print,
) -> dict:
    """Measure ``checkpoint`` on the reference benchmark and install it as the bundled ``name``."""
    from .reference import run_reference

    recipe = RECIPES[name]
    target.mkdir(parents=True, exist_ok=True)
    if "real" in recipe["data"]:
        return _publish_real(name, checkpoint, target, device, log)
    result = run_reference(
        recipe["reference"], [str(checkpoint)], reference_data or Path("bench_out/reference"), device, log=log
    )
    reference = next(iter(result["detectors"].values()))
    ckpt = load_checkpoint(checkpoint)
    meta = dict(ckpt.metadata)
    meta["name"] = name
    meta["description"] = model_card(name, reference["f1"])
    meta["training"] = {**meta.get("training", {}), "recipe": {k: recipe[k] for k in ("data", "train")}}
    meta["metrics"] = {
        **meta.get("metrics", {}),
        "reference": {k: reference[k] for k in ("precision", "recall", "oa", "iou", "f1", "kappa")},
        "reference_benchmark": result["spec"],
    }
    path = target / recipe["file"]
    save_checkpoint(path, build_model(ckpt), meta)
    log(f"{name}: reference F1 {reference['f1']:.4f} -> {path}")
    return write_manifest(target)


def _publish_real(name: str, checkpoint: Path, target: Path, device, log) -> dict:
    recipe = RECIPES[name]
    pooled, unseen = _real_scores(recipe, checkpoint, checkpoint.parent, device)
    ckpt = load_checkpoint(checkpoint)
    meta = dict(ckpt.metadata)
    meta["name"] = name
    meta["description"] = model_card(name, pooled["f1"], unseen["f1"])
    meta["training"] = {**meta.get("training", {}), "recipe": {k: recipe[k] for k in ("data", "train")}}
    meta["metrics"] = {**meta.get("metrics", {}), "reference": pooled, recipe["data"]["test"]: unseen}
    path = target / recipe["file"]
    save_checkpoint(path, build_model(ckpt), meta)
    test = recipe["data"]["test"]
    log(f"{name}: leave-cities-out F1 {pooled['f1']:.4f}, {test} F1 {unseen['f1']:.4f} -> {path}")
    return write_manifest(target)


def write_manifest(target: Path = MODELS_DIR) -> dict:
    """models.json and SHA256SUMS for the bundled checkpoints present in ``target``."""
    models = []
    for name, recipe in RECIPES.items():
        path = target / recipe["file"]
        if not path.exists():
            continue
        meta = load_checkpoint(path).metadata
        models.append(
            {
                "name": name,
                "file": recipe["file"],
                "title": recipe["title"],
                "kind": recipe["kind"],
                "arch": recipe["arch"],
                "description": meta.get("description", ""),
                "reference_f1": meta.get("metrics", {}).get("reference", {}).get("f1"),
                "size_bytes": path.stat().st_size,
                "sha256": sha256(path),
            }
        )
    manifest = {"models": models}
    (target / "models.json").write_text(json.dumps(manifest, indent=2) + "\n")
    (target / "SHA256SUMS").write_text("".join(f"{m['sha256']}  {m['file']}\n" for m in models))
    return manifest


def make_weights(
    names=None, work: Path = Path("build/weights"), device: str = "auto", reuse: dict | None = None, log=print
) -> dict:
    """Train and publish the demo models; ``reuse`` ({name: checkpoint}) skips training for a
    model already trained with its recipe (e.g. on a GPU machine)."""
    manifest = {}
    reuse = reuse or {}
    for name in names or list(RECIPES):
        if names is None and "real" in RECIPES[name]["data"] and not (REAL_DATA / "oscd").is_dir():
            log(f"{name}: no real training data at {REAL_DATA}: skipped")
            continue
        checkpoint = Path(reuse[name]) if name in reuse else train_recipe(name, work, device, log)
        manifest = publish(name, checkpoint, device=device, log=log)
    return manifest
