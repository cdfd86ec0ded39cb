"""Training machinery: chips, splits, augmentation, trainer, checkpoints (CI-sized)."""

from __future__ import annotations

import csv
import pickle
import subprocess
import sys

import numpy as np
import pytest
import rasterio
import torch

from engine.archs import build_model
from engine.archs.insinet import AugmentConfig, OpticalChips, augment
from engine.checkpoint import load_checkpoint, save_checkpoint
from engine.detect import detect_changes
from engine.errors import MineCDError
from engine.lab.synthetic import generate_dataset
from engine.train.dataset import (
    ChipSet,
    ChipSpec,
    Scene,
    build_chips,
    split_by_blocks,
    split_by_site,
)
from engine.train.run import train

TILE = 64


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    root = tmp_path_factory.mktemp("sites")
    generate_dataset("optical", root, sites=3, size=256, seed=7)
    return [root / f"site_0{i}" for i in (1, 2, 3)]


@pytest.fixture(scope="module")
def trained(sites, tmp_path_factory):
    out = tmp_path_factory.mktemp("model") / "tiny.pt"
    result = train(
        "insinet",
        sites,
        out,
        epochs=6,
        batch=8,
        tile=TILE,
        patience=10,
        augment=AugmentConfig(False, False, 0.0, False),
        calibrate=True,
        log=lambda m: None,
    )
    return out, result


def test_training_lowers_the_loss_and_writes_curves(trained):
    out, result = trained
    rows = list(csv.DictReader(open(out.with_suffix(".csv"))))
    assert len(rows) == 6
    assert float(rows[-1]["train_loss"]) < float(rows[0]["train_loss"])
    assert out.with_suffix(".png").stat().st_size > 5_000
    assert {"validation", "test"} <= result["metrics"].keys()
    assert 1 <= result["best_epoch"] <= 6


def test_checkpoint_round_trips_with_its_metadata(trained, sites):
    out, _ = trained
    ckpt = load_checkpoint(out)
    meta = ckpt.metadata
    assert (
        meta["arch"] == "insinet" and meta["kind"] == "optical" and meta["tile"] == TILE and meta["context"]
    )
    assert meta["inputs"]["bands"] == [1, 2, 3] and meta["inputs"]["band_names"] == ["red", "green", "blue"]
    assert meta["normalisation"]["method"] == "zscore" and len(meta["normalisation"]["mean"]) == 3
    assert 20 < meta["normalisation"]["mean"][0] < 200  # digital numbers of the training scenes
    assert meta["pixel_size_m"] == 1.0 and meta["classes"] == ["no change", "change"]
    assert meta["training"]["split"] == "site" and meta["training"]["chips"]["train"] == 16
    assert "f1" in meta["metrics"]["test"] and meta["minecd_version"]
    model = build_model(ckpt)
    for name, tensor in model.state_dict().items():
        assert torch.equal(tensor, ckpt.state_dict[name])


def test_detection_runs_the_checkpoint_through_the_pipeline(trained, sites, tmp_path):
    out, _ = trained
    summary = detect_changes(
        sites[0] / "before.tif",
        sites[0] / "after.tif",
        out,
        tmp_path / "mask.tif",
        prob_out=tmp_path / "p.tif",
    )
    assert summary["arch"] == "insinet" and summary["device"] == "cpu"
    assert summary["context_scheme"] == "shared" and summary["tile"] % 48 == 0  # one block, any size
    assert summary["pixels_read_per_output_pixel"] == pytest.approx(1.0)  # one strip
    per_tile = detect_changes(
        sites[0] / "before.tif", sites[0] / "after.tif", out, tmp_path / "m1.tif", context="tile"
    )
    assert per_tile["tile"] == TILE and per_tile["context_scheme"] == "tile"
    with pytest.raises(MineCDError, match=f"use tile {TILE}"):
        detect_changes(
            sites[0] / "before.tif",
            sites[0] / "after.tif",
            out,
            tmp_path / "m2.tif",
            tile=128,
            context="tile",
        )


def test_same_seed_same_model_in_one_process(sites, tmp_path):
    no_aug = AugmentConfig(False, False, 0.0, False)
    weights = []
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        torch.rand(7)  # whatever used the global generator before must not matter
        train("insinet", sites, tmp_path / f"{name}.pt", epochs=1, batch=8, tile=TILE, augment=no_aug,
              steps_per_epoch=2, seed=seed, log=lambda m: None)  # fmt: skip
        weights.append(load_checkpoint(tmp_path / f"{name}.pt").state_dict)
    assert all(torch.equal(weights[0][k], weights[1][k]) for k in weights[0])
    assert not all(torch.equal(weights[0][k], weights[2][k]) for k in weights[0])


def test_resume_continues_from_the_last_epoch(sites, tmp_path):
    out = tmp_path / "r.pt"
    no_aug = AugmentConfig(False, False, 0.0, False)
    train("insinet", sites, out, epochs=1, batch=8, tile=TILE, augment=no_aug, log=lambda m: None)
    messages = []
    train(
        "insinet", sites, out, epochs=2, batch=8, tile=TILE, augment=no_aug, resume=True, log=messages.append
    )
    assert any(m.startswith("resuming at epoch 2") for m in messages)
    assert len(list(csv.DictReader(open(out.with_suffix(".csv"))))) == 2


def test_early_stopping_counts_a_lower_loss_at_equal_f1_as_progress(sites, tmp_path, monkeypatch):
    from engine.train.trainer import Trainer

    # validation F1 stays 0 (the minority class not learnt yet) while the loss keeps falling
    losses = iter([0.70, 0.60, 0.50, 0.40, 0.45, 0.46, 0.47])
    real = Trainer.evaluate

    def scripted(self, split, histogram=None):
        metrics = real(self, split, histogram)
        if split == "val" and histogram is None:
            metrics.update(f1=0.0, loss=next(losses))
        return metrics

    monkeypatch.setattr(Trainer, "evaluate", scripted)
    no_aug = AugmentConfig(False, False, 0.0, False)
    out = tmp_path / "plateau.pt"
    result = train(
        "insinet", sites, out, epochs=7, batch=8, tile=TILE, patience=2, augment=no_aug, log=lambda m: None
    )
    assert result["best_epoch"] == 4  # the lowest loss, not the first epoch with F1 0
    assert len(list(csv.DictReader(open(out.with_suffix(".csv"))))) == 6  # 2 epochs without progress


class _Payload:
    def __reduce__(self):  # would create a file if the loader executed code
        import os

        return os.system, ("touch pwned_by_checkpoint",)


def test_a_checkpoint_crafted_to_run_code_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    plain = tmp_path / "evil.pt"
    plain.write_bytes(pickle.dumps({"format": "minecd-checkpoint", "x": _Payload()}))
    zipped = tmp_path / "evil_zip.pt"
    torch.save(
        {"format": "minecd-checkpoint", "metadata_json": "{}", "state_dict": {"w": _Payload()}}, zipped
    )
    for path in (plain, zipped):
        with pytest.raises(MineCDError, match="not a MineCD checkpoint, or unsafe to load"):
            load_checkpoint(path)
    assert not (tmp_path / "pwned_by_checkpoint").exists()


def test_checkpoint_metadata_is_validated(tmp_path):
    model = torch.nn.Linear(2, 2)
    with pytest.raises(MineCDError, match="metadata field 'arch'"):
        save_checkpoint(tmp_path / "a.pt", model, {"kind": "optical"})
    torch.save(
        {
            "format": "minecd-checkpoint",
            "format_version": 1,
            "metadata_json": '{"arch": "resnet"}',
            "state_dict": {},
        },
        tmp_path / "b.pt",
    )
    with pytest.raises(MineCDError, match="metadata field"):
        load_checkpoint(tmp_path / "b.pt")
    with pytest.raises(MineCDError, match="checkpoint file not found"):
        load_checkpoint(tmp_path / "missing.pt")


def test_block_split_holds_out_labelled_blocks_with_change_for_validation():
    change = {(3, 3), (1, 4)}
    counts = {(r, c): (4096, 100 if (r, c) in change else 0) for r in range(6) for c in range(6)}
    for seed in range(5):
        split = split_by_blocks(counts, seed=seed)
        val = {b for b, s in split.items() if s == "val"}
        assert len(val) == round(0.2 * 36) and len(val & change) >= 1  # some change validates...
        assert change - val  # ...and some stays for training
        assert split_by_blocks(counts, seed=seed) == split
    alone = {**counts, (1, 4): (4096, 0)}
    assert all(split_by_blocks(alone, seed=s)[(3, 3)] == "train" for s in range(5))
    few = {(0, 0): (900, 10), (0, 1): (900, 0)}
    assert set(split_by_blocks(few, seed=1).values()) == {"train"}  # too few: no validation


def test_site_split_uses_whole_sites(sites):
    scenes = [Scene.from_dir(s) for s in sites]
    assert sorted(split_by_site(scenes, seed=0).values()) == ["test", "train", "val"]


def test_polygon_labels_give_the_same_chips_as_the_raster(tmp_path):
    from engine.lab.synthetic import generate

    generate("optical", tmp_path / "scene", size=512, seed=4)
    raster_scene = Scene.from_dir(tmp_path / "scene")
    vector_scene = Scene(raster_scene.before, raster_scene.after, tmp_path / "scene" / "labels.gpkg", "v")
    spec = ChipSpec(tile=TILE, split="blocks", seed=0)
    maker = OpticalChips([1, 2, 3], 3, context=False)
    build_chips([raster_scene], spec, maker, tmp_path / "r")
    build_chips([vector_scene], spec, maker, tmp_path / "v")
    for split in ("train", "val", "test"):
        a, b = ChipSet(tmp_path / "r", split), ChipSet(tmp_path / "v", split)
        assert np.array_equal(np.asarray(a.labels), np.asarray(b.labels))
        assert np.array_equal(np.asarray(a.arrays["before"]), np.asarray(b.arrays["before"]))


def test_missing_training_files_are_named(tmp_path):
    (tmp_path / "before.tif").write_text("x")
    with pytest.raises(MineCDError, match="missing after.tif, labels.tif or labels.gpkg"):
        Scene.from_dir(tmp_path)


def test_augmentation_keeps_centre_context_labels_and_dates_consistent():
    gen = torch.Generator().manual_seed(3)
    base = torch.arange(16.0).reshape(1, 1, 4, 4)
    batch = {
        "before": base.repeat(6, 3, 1, 1),
        "after": base.repeat(6, 3, 1, 1) + 100,
        "before_context": base.repeat(6, 3, 1, 1),
        "after_context": base.repeat(6, 3, 1, 1) + 100,
        "labels": base[:, 0].repeat(6, 1, 1).long(),
    }
    out = augment(batch, AugmentConfig(flips=True, rotations=True, jitter=0.0, swap=True), gen)
    transformed = 0
    for i in range(6):
        label = out["labels"][i].float()
        transformed += not torch.equal(label, base[0, 0])
        before, after = out["before"][i, 0], out["after"][i, 0]
        if before.min() >= 100:  # swapped: the after date now comes first, with its context
            before, after = after, before
            assert out["before_context"][i, 0].min() >= 100
        assert torch.equal(before, label) and torch.equal(after, label + 100)
        assert torch.equal(out["before_context"][i], out["before"][i])
    assert transformed > 0
    jittered = augment(batch, AugmentConfig(False, False, 0.2, False), gen)
    assert torch.allclose(jittered["before"], jittered["before_context"])  # one date: one colour change
    assert not torch.allclose(jittered["before"], batch["before"])


def test_train_command_reports_bad_input(repo, tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "engine",
            "train",
            "--arch",
            "insinet",
            "--data",
            str(tmp_path / "nope"),
            "--out",
            str(tmp_path / "m.pt"),
        ],
        capture_output=True,
        text=True,
        cwd=repo,
    )
    assert proc.returncode == 2 and "training folder not found" in proc.stderr


def _rescaled(src, dst, gain: float, offset: float) -> None:
    with rasterio.open(src) as r:
        profile = {**r.profile, "dtype": "float32"}
        data = r.read().astype(np.float32) * gain + offset
    with rasterio.open(dst, "w", **profile) as w:
        w.write(data)


def test_a_scene_standardised_model_ignores_each_dates_gain_and_offset(sites, tmp_path):
    out = tmp_path / "scene.pt"
    no_aug = AugmentConfig(False, False, 0.0, False)
    train("insinet", sites, out, epochs=1, batch=8, tile=TILE, augment=no_aug, steps_per_epoch=2,
          standardise="scene", change_weight=4.0, log=lambda m: None)  # fmt: skip
    meta = load_checkpoint(out).metadata
    assert meta["inputs"]["standardise"] == "scene"
    assert all(abs(m) < 0.5 for m in meta["normalisation"]["mean"])  # already standardised per scene
    site = sites[0]
    _rescaled(site / "before.tif", tmp_path / "b.tif", 0.6, 10.0)  # e.g. haze on one date, gain on the other
    _rescaled(site / "after.tif", tmp_path / "a.tif", 1.7, 30.0)
    detect_changes(  # the per-tile scheme: a model after 2 steps responds more there
        site / "before.tif", site / "after.tif", out, tmp_path / "m1.tif", prob_out=tmp_path / "p1.tif",
        context="tile",
    )  # fmt: skip
    detect_changes(
        tmp_path / "b.tif", tmp_path / "a.tif", out, tmp_path / "m2.tif", prob_out=tmp_path / "p2.tif",
        context="tile",
    )  # fmt: skip
    with rasterio.open(tmp_path / "p1.tif") as one, rasterio.open(tmp_path / "p2.tif") as two:
        p1, p2 = one.read(1), two.read(1)
    assert p1.std() > 1e-3  # the model does respond to the scene
    assert np.abs(p1 - p2).max() < 1e-3


def test_the_change_weight_counts_change_pixels_more():
    from engine.models.insinet import change_loss

    logits = torch.zeros(1, 2, 4, 4)
    target = torch.zeros(1, 4, 4, dtype=torch.long)
    target[0, :2] = 1
    logits[:, 1] = 0.5  # leans to change: wrong on no-change pixels, right on change ones
    output = {"logits": logits, "aux": []}
    assert change_loss(output, target, change_weight=4.0) < change_loss(output, target)


def test_the_dice_term_rewards_overlap_with_the_change_and_ignores_unlabelled_pixels():
    from engine.models.insinet import change_loss, soft_dice_loss

    target = torch.zeros(1, 4, 4, dtype=torch.long)
    target[0, :2] = 1
    right, wrong = torch.zeros(1, 2, 4, 4), torch.zeros(1, 2, 4, 4)
    right[:, 1] = torch.where(target[0] == 1, 4.0, -4.0)
    wrong[:, 1] = -right[:, 1]
    assert soft_dice_loss(right, target) < 0.1 < 0.9 < soft_dice_loss(wrong, target)
    ignored = target.clone()
    ignored[0, 2:] = 255  # the wrongly predicted half is not labelled: it must not count
    half = right.clone()
    half[:, 1, 2:] = 4.0
    assert soft_dice_loss(half, ignored) == pytest.approx(soft_dice_loss(right, ignored))
    output = {"logits": wrong, "aux": []}
    assert change_loss(output, target, dice=1.0) == pytest.approx(
        float(change_loss(output, target) + soft_dice_loss(wrong, target))
    )


def test_the_cosine_schedule_decays_the_rate_to_zero_and_is_stored(sites, tmp_path):
    from engine.train.trainer import TrainConfig, learning_rate

    config = TrainConfig(epochs=10, lr=1e-3, cosine=True)
    rates = [learning_rate(config, e) for e in range(10)]
    assert rates[0] == pytest.approx(1e-3) and rates[5] == pytest.approx(5e-4)
    assert all(a > b for a, b in zip(rates, rates[1:])) and rates[-1] < 3e-5
    out = tmp_path / "cosine.pt"
    train(
        "insinet", sites, out, epochs=3, batch=8, tile=TILE, schedule="cosine", dice=0.5,
        steps_per_epoch=2, augment=AugmentConfig(False, False, 0.0, False), log=lambda m: None,
    )  # fmt: skip
    rows = list(csv.DictReader(open(out.with_suffix(".csv"))))
    assert [float(r["lr"]) for r in rows] == pytest.approx([1e-3, 7.5e-4, 2.5e-4])
    training = load_checkpoint(out).metadata["training"]
    assert training["config"]["cosine"] and training["dice"] == 0.5


def test_the_decision_threshold_is_chosen_on_validation_and_used_by_detection(trained, sites, tmp_path):
    out, result = trained
    meta = load_checkpoint(out).metadata
    chosen = meta["metrics"]["threshold"]
    assert meta["threshold"] == chosen["value"] and 0.1 <= chosen["value"] <= 0.9
    assert chosen["validation_f1"] >= chosen["validation_f1_at_0.5"]
    assert ("blend" in chosen["chosen_on"]) == bool(meta.get("fusion"))  # chosen again with a classic cue
    summary = detect_changes(sites[0] / "before.tif", sites[0] / "after.tif", out, tmp_path / "m.tif")
    assert summary["threshold"] == chosen["value"]


def test_the_probability_histogram_gives_the_f1_of_each_threshold():
    from engine.train.trainer import ProbabilityHistogram

    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, (4, 32, 32)).astype(np.int64)
    labels[0, :8] = 254  # not labelled: never counted
    prob = np.clip(labels * 0.3 + rng.random(labels.shape) * 0.7, 0, 1).astype(np.float32)
    histogram = ProbabilityHistogram()
    histogram.add(prob, labels)
    known = labels <= 1
    for t in (0.2, 0.5, 0.75):
        pred, truth = prob[known] >= t, labels[known] == 1
        tp = np.sum(pred & truth)
        exact = 2 * tp / (2 * tp + np.sum(pred & ~truth) + np.sum(~pred & truth))
        assert histogram.f1_at(t) == pytest.approx(exact, abs=2e-3)
    assert histogram.change_pixels == int(np.sum(labels == 1))


def test_flip_averaging_is_the_mean_of_the_flipped_back_predictions():
    from engine.detectors.model import flip_average

    x = np.arange(2 * 1 * 4 * 6, dtype=np.float32).reshape(2, 1, 4, 6)
    weights = np.linspace(0.0, 1.0, 24, dtype=np.float32).reshape(4, 6)  # not flip-symmetric

    def run(inputs):
        return inputs["a"][:, 0] * weights + inputs["b"][:, 0]

    inputs = {"a": x, "b": 2 * x}
    expected = np.mean(
        [
            np.flip(run({k: np.flip(v, axes) for k, v in inputs.items()}), axes)
            for axes in ((), (-1,), (-2,), (-2, -1))
        ],
        axis=0,
    )
    got = flip_average(run, inputs)
    assert got.shape == (2, 4, 6) and np.allclose(got, expected)
    assert not np.allclose(got, run(inputs))  # the flips do change a model that is not symmetric


def test_flips_follow_the_models_choice_unless_told(trained, sites, tmp_path):
    import rasterio

    out, _ = trained
    ckpt = load_checkpoint(out)
    flipped = tmp_path / "flipped.pt"
    save_checkpoint(flipped, build_model(ckpt), {**ckpt.metadata, "inference": {"flips": True}})
    scene = (sites[0] / "before.tif", sites[0] / "after.tif")

    def probability(model, name, **options):
        summary = detect_changes(
            *scene, model, tmp_path / f"{name}.tif", prob_out=tmp_path / f"{name}_p.tif", **options
        )
        with rasterio.open(tmp_path / f"{name}_p.tif") as src:
            return summary, src.read(1)

    plain_summary, plain = probability(out, "plain")
    on_summary, on = probability(out, "on", flips="on")
    auto_summary, auto = probability(flipped, "auto")
    _, off = probability(flipped, "off", flips="off")
    assert not plain_summary["flips"] and on_summary["flips"] and auto_summary["flips"]
    assert np.allclose(on, auto, atol=1e-5) and np.allclose(off, plain, atol=1e-5)
    assert np.abs(on - plain).max() > 1e-3
    with pytest.raises(MineCDError, match="flips 'maybe'"):
        detect_changes(*scene, out, tmp_path / "x.tif", flips="maybe")
