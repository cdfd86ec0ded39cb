"""Few-shot training on the user's own pair: partial labels, one scene, --init, --minutes."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from engine.archs.insinet import AugmentConfig, OpticalChips
from engine.checkpoint import load_checkpoint
from engine.errors import MineCDError
from engine.lab.synthetic import generate
from engine.train.dataset import ChipSet, ChipSpec, Scene, build_chips
from engine.train.init import channel_map
from engine.train.run import train

TILE = 64
NO_AUG = AugmentConfig(False, False, 0.0, False)


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    root = tmp_path_factory.mktemp("fewshot")
    generate("optical", root / "full", size=256, seed=11)
    return root / "full"


def _partial(scene, folder, keep):
    """A copy of ``scene`` whose labels are 255 (not labelled) outside ``keep`` (row, col slices)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("before.tif", "after.tif"):
        shutil.copy(scene / name, folder / name)
    with rasterio.open(scene / "labels.tif") as src:
        profile, labels = src.profile, src.read(1)
    partial = np.full_like(labels, 255)
    partial[keep] = labels[keep]
    with rasterio.open(folder / "labels.tif", "w", **profile) as dst:
        dst.write(partial, 1)
    return folder, labels


def _chips(folder, cache, split="blocks"):
    maker = OpticalChips([1, 2, 3], 3, context=False)
    summary = build_chips([Scene.from_dir(folder)], ChipSpec(tile=TILE, split=split), maker, cache, log=print)
    return summary, {s: ChipSet(cache, s) for s, n in summary["counts"].items() if n}


def test_only_labelled_pixels_count_and_only_labelled_tiles_become_chips(scene, tmp_path):
    folder, truth = _partial(scene, tmp_path / "corner", (slice(128, 228), slice(128, 218)))
    summary, chips = _chips(folder, tmp_path / "cache")
    assert sum(summary["labelled_pixels"].values()) == 100 * 90
    sources = [src for s in chips.values() for src in s.sources]
    assert all(r >= 2 and c >= 2 for _, _, r, c in sources)  # tiles without a label are not cut
    for set_ in chips.values():
        labels = np.asarray(set_.labels)
        assert set(np.unique(labels)) <= {0, 1, 254, 255}
    known = sum(int((np.asarray(s.labels) <= 1).sum()) for s in chips.values())
    assert known == 100 * 90  # every labelled pixel in exactly one split


def test_validation_labels_never_train(scene, tmp_path):
    folder, _ = _partial(scene, tmp_path / "half", (slice(0, 256), slice(0, 160)))
    summary, chips = _chips(folder, tmp_path / "cache")
    assert summary["counts"]["val"] > 0 and summary["counts"]["test"] == 0
    train_known = np.asarray(chips["train"].labels) <= 1
    seen = {}
    for split in ("train", "val"):
        for i, (_, g, r, c) in enumerate(chips[split].sources):
            if g == 0:
                mask = np.asarray(chips[split].labels[i]) <= 1
                seen.setdefault((r, c), {})[split] = mask
    overlap = [m["train"] & m["val"] for m in seen.values() if len(m) == 2]
    assert overlap and not any(o.any() for o in overlap)  # shared tiles, disjoint labelled pixels
    assert train_known.any()


def test_polygons_with_a_labelled_area_are_partial_labels(scene, tmp_path):
    from engine.vector import write_polygons

    folder = tmp_path / "vector"
    folder.mkdir()
    for name in ("before.tif", "after.tif", "labels.gpkg"):
        shutil.copy(scene / name, folder / name)
    with rasterio.open(scene / "labels.tif") as src:
        t, crs, truth = src.transform, src.crs, src.read(1)
    x0, y0 = t * (0, 0)  # the labelled area: columns 0-127, rows 64-191
    ring = [[x0, y0 - 64], [x0 + 128, y0 - 64], [x0 + 128, y0 - 192], [x0, y0 - 192], [x0, y0 - 64]]
    write_polygons(
        folder / "label_area.gpkg", [({"type": "Polygon", "coordinates": [ring]}, {})], crs.to_wkt(), {}
    )
    summary, chips = _chips(folder, tmp_path / "cache", split="given")
    assert summary["labelled_pixels"]["train"] == 128 * 128
    for i, (_, _g, r, c) in enumerate(chips["train"].sources):
        labels = np.asarray(chips["train"].labels[i])
        window = truth[r * TILE : (r + 1) * TILE, c * TILE : (c + 1) * TILE]
        inside = np.zeros_like(window, dtype=bool)
        rows = slice(max(0, 64 - r * TILE), max(0, 192 - r * TILE))
        inside[rows, : max(0, 128 - c * TILE)] = True
        assert np.array_equal(labels[inside], window[inside]) and (labels[~inside] == 254).all()


def test_too_few_labels_and_no_labels_are_refused(scene, tmp_path):
    tiny, _ = _partial(scene, tmp_path / "tiny", (slice(0, 10), slice(0, 10)))
    with pytest.raises(MineCDError, match="only 100 labelled pixels"):
        _chips(tiny, tmp_path / "c1")
    none, _ = _partial(scene, tmp_path / "none", (slice(0, 0), slice(0, 0)))
    with pytest.raises(MineCDError, match="no labelled pixels"):
        _chips(none, tmp_path / "c2")


def test_labels_without_any_change_are_refused(scene, tmp_path):
    folder, truth = _partial(scene, tmp_path / "calm", (slice(0, 256), slice(0, 256)))
    with rasterio.open(folder / "labels.tif", "r+") as dst:
        dst.write(np.zeros_like(truth), 1)
    with pytest.raises(MineCDError, match="no change pixel"):
        _chips(folder, tmp_path / "c")


def test_labels_on_another_grid_are_warped_as_classes(scene, tmp_path):
    folder = tmp_path / "coarse"
    folder.mkdir()
    for name in ("before.tif", "after.tif"):
        shutil.copy(scene / name, folder / name)
    with rasterio.open(scene / "labels.tif") as src:
        t, crs, labels = src.transform, src.crs, src.read(1)
    coarse = labels[::2, ::2] * 7  # any non-zero value is change
    profile = {"driver": "GTiff", "width": 128, "height": 128, "count": 1, "dtype": "uint8", "crs": crs,
               "transform": from_origin(t.c + 0.5, t.f - 0.5, 2.0, 2.0)}  # fmt: skip
    with rasterio.open(folder / "labels.tif", "w", **profile) as dst:
        dst.write(coarse, 1)
    _, chips = _chips(folder, tmp_path / "cache")
    values = set(np.unique(np.concatenate([np.asarray(s.labels).ravel() for s in chips.values()])))
    assert values <= {0, 1, 254, 255} and 1 in values


def test_one_small_partly_labelled_scene_trains_without_validation_and_says_so(scene, tmp_path):
    folder, _ = _partial(scene, tmp_path / "few", (slice(90, 120), slice(110, 150)))
    messages = []
    out = tmp_path / "few.pt"
    result = train(
        "insinet", [folder], out, epochs=3, batch=4, tile=TILE, augment=NO_AUG, log=messages.append
    )
    assert any("no independent validation" in m for m in messages)
    meta = load_checkpoint(out).metadata
    assert meta["training"]["labelled_pixels"]["train"] == 30 * 40 and "train_loss" in meta["metrics"]
    assert 1 <= result["best_epoch"] <= 3


def test_a_time_budget_stops_the_run_with_the_best_model(scene, tmp_path):
    messages = []
    out = tmp_path / "budget.pt"
    result = train(
        "insinet", [scene], out, minutes=0.01, batch=4, tile=TILE, augment=NO_AUG, log=messages.append
    )
    assert any("time budget of 0.01 min reached" in m for m in messages)
    assert result["best_epoch"] == 1 and load_checkpoint(out).metadata["training"]["epochs_run"] == 1


def test_init_starts_from_a_model_and_adapts_its_input_layer(scene, tmp_path):
    three = tmp_path / "three.pt"
    train("insinet", [scene], three, epochs=1, batch=4, tile=TILE, bands=[1, 2, 3], augment=NO_AUG,
          steps_per_epoch=1, change_weight=3.0, log=lambda m: None)  # fmt: skip
    messages = []
    four = tmp_path / "four.pt"
    train("insinet", [scene], four, epochs=1, batch=4, bands=[1, 2, 3, 4], init=str(three), augment=NO_AUG,
          steps_per_epoch=1, lr=1e-12, log=messages.append)  # fmt: skip
    assert any("adapted from 3 to 4 channels" in m for m in messages)
    assert any(m.startswith("start model: val F1") for m in messages)  # the start model competes
    old, new = load_checkpoint(three), load_checkpoint(four)
    assert new.metadata["tile"] == TILE and new.metadata["training"]["init"] == str(three)  # the init's tile
    assert new.metadata["training"]["change_weight"] == 3.0  # the init's recipe carries over
    key = next(k for k, v in old.state_dict.items() if v.ndim == 4 and v.shape[1] == 3)
    w_old, w_new = old.state_dict[key], new.state_dict[key]
    assert w_new.shape[1] == 4
    assert np.allclose(w_new[:, :3].numpy(), w_old.numpy() * 3 / 4, atol=1e-4)  # red, green, blue kept


def test_auto_init_picks_the_bundled_model_for_the_data(scene, tmp_path):
    messages = []
    train("insinet", [scene], tmp_path / "auto.pt", epochs=1, batch=4, init="auto", augment=NO_AUG,
          steps_per_epoch=1, log=messages.append)  # fmt: skip
    assert any("starting from the bundled insinet-demo" in m for m in messages)  # 3 bands at 1 m


def test_an_init_model_of_another_architecture_is_refused(scene, tmp_path):
    with pytest.raises(MineCDError, match="sar sarunet model cannot start a insinet training"):
        train("insinet", [scene], tmp_path / "x.pt", epochs=1, init="sarunet-demo", log=lambda m: None)
    assert not (tmp_path / "x.pt").exists()


def test_channels_are_matched_by_name_then_position():
    assert channel_map(["blue B02", "green B03", "red B04", "nir B08"], ["red", "green", "blue"]) == [2, 1, 0]
    assert channel_map(["band 1", "band 2"], ["band 1", "band 2", "band 3"]) == [0, 1, None]
    sar = ["amplitude_before_db", "amplitude_after_db", "coherence"]
    assert channel_map(sar, ["amplitude_before_db", "amplitude_after_db"]) == [0, 1]


def test_the_cli_trains_on_partial_labels_with_a_budget(scene, tmp_path):
    import subprocess
    import sys

    folder, _ = _partial(scene, tmp_path / "cli", (slice(0, 256), slice(0, 128)))
    out = tmp_path / "cli.pt"
    run = subprocess.run(
        [sys.executable, "-m", "engine", "train", "--arch", "insinet", "--data", str(folder),
         "--out", str(out), "--tile", str(TILE), "--minutes", "0.05", "--init", "none", "--quiet"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "time budget" in run.stderr + run.stdout and out.exists()
    meta = load_checkpoint(out).metadata
    assert json.loads(json.dumps(meta["training"]["labelled_pixels"]))["train"] > 0


def test_the_protocol_labels_19_of_64_blocks_and_scores_the_others(scene, tmp_path):
    from engine.lab.fewshot import labelled_blocks, split_labels

    keep = labelled_blocks(256, 256, 0.3, seed=0)
    assert keep.sum() == 19 * 32 * 32
    train_folder, score = split_labels(scene, tmp_path / "work", 0.3)
    with rasterio.open(train_folder / "labels.tif") as a, rasterio.open(score) as b:
        given, scored = a.read(1), b.read(1)
    assert ((given != 255) == keep).all() and ((scored != 255) == ~keep).all()  # disjoint, complete


def test_a_time_budget_still_stops_early_when_nothing_improves(tmp_path):
    generate("sar", tmp_path / "sar", size=128, seed=12)
    messages = []
    out = tmp_path / "sar.pt"
    train("sarunet", [tmp_path / "sar"], out, minutes=10, patience=2, batch=4, tile=64, lr=1e-9,
          log=messages.append)  # fmt: skip
    assert any("early stop" in m for m in messages)  # long before the 10 minutes
    assert load_checkpoint(out).metadata["training"]["config"]["lr_drop_at"] is None


def test_unlabelled_chips_of_a_labelled_pair_mark_only_the_unlabelled_pixels(scene, tmp_path):
    folder, _ = _partial(scene, tmp_path / "half", (slice(0, 256), slice(0, 128)))
    summary, _ = _chips(folder, tmp_path / "cache")
    maker = OpticalChips([1, 2, 3], 3, context=False)
    spec = ChipSpec(tile=TILE)
    build_chips([Scene.from_dir(folder)], spec, maker, tmp_path / "u", labelled=False,
                stats=summary["normalisation"])  # fmt: skip
    pool = ChipSet(tmp_path / "u", "unlabelled")
    assert len(pool) == 16  # every tile of the pair
    free = np.zeros((256, 256), dtype=bool)
    for (_, _, r, c), labels in zip(pool.sources, np.asarray(pool.labels)):
        free[r * TILE : (r + 1) * TILE, c * TILE : (c + 1) * TILE] = labels == 0
    assert not free[:, :128].any() and free[:, 128:].all()  # only what the user left unlabelled


def test_pseudo_labels_from_the_unlabelled_part_train_a_student_that_validates_no_worse(scene, tmp_path):
    folder, _ = _partial(scene, tmp_path / "pseudo", (slice(0, 256), slice(0, 160)))
    messages = []
    out = tmp_path / "pseudo.pt"
    train("insinet", [folder], out, epochs=2, batch=4, tile=TILE, augment=NO_AUG, init="auto",
          pseudo=True, log=messages.append)  # fmt: skip
    meta = load_checkpoint(out).metadata
    info = meta["training"]["pseudo_labelling"]
    labelled_chips = _chips(folder, tmp_path / "cache")[0]["counts"]["train"]
    assert info["candidates"] == 16 and 0 < info["kept"] <= labelled_chips  # at most |D| patches
    assert meta["training"]["chips"]["train"] == labelled_chips + info["kept"]
    assert info["pseudo_labelled_pixels"] <= info["kept"] * TILE * TILE
    assert any(m.startswith("teacher:") for m in messages) and any(m.startswith("student:") for m in messages)
    # the student starts from the teacher, which competes as its epoch 0 on the same validation
    assert meta["metrics"]["validation"]["f1"] >= info["teacher_validation"]["f1"]
    assert meta["training"]["init"] == "insinet-demo"
    assert not list(tmp_path.glob("minecd-selftrain-*"))  # the work folder is gone
