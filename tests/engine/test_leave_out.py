"""Leave-scenes-out: every scene is held out once, never trained on in its own fold."""

from __future__ import annotations

import json

import pytest

from engine.archs.insinet import AugmentConfig
from engine.errors import MineCDError
from engine.lab.leave_out import assignment, fold_groups, leave_scenes_out
from engine.lab.synthetic import generate_dataset
from engine.train.run import Options


def test_every_scene_is_held_out_exactly_once_and_validation_is_another_scene():
    names = [f"city_{i}" for i in range(9)]
    groups = fold_groups(names, 5)
    assert sorted(sum(groups, [])) == sorted(names) and [len(g) for g in groups] == [2, 2, 2, 2, 1]
    for k, test in enumerate(groups):
        split = assignment(names, test, k)
        assert [n for n, s in split.items() if s == "test"] == sorted(test)
        assert sum(s == "val" for s in split.values()) == 1
        unvalidated = assignment(names, test, k, validation=False)
        assert sorted(unvalidated.values()) == sorted(s if s != "val" else "train" for s in split.values())
    with pytest.raises(MineCDError, match="between 2 and 9"):
        fold_groups(names, 10)


def test_a_leave_out_run_scores_the_held_out_scenes_with_their_fold_model(tmp_path):
    root = tmp_path / "sites"
    generate_dataset("optical", root, sites=3, size=128, seed=11)
    folders = sorted(root.glob("site_*"))
    no_augment = AugmentConfig(False, False, 0.0, False)
    options = Options(epochs=1, batch=4, tile=32, steps_per_epoch=2, augment=no_augment, device="cpu")
    result = leave_scenes_out(
        "insinet", folders, tmp_path / "cv", options, folds=3, device="cpu", log=lambda m: None
    )
    held = [r["scene"] for r in result["per_scene_and_fold"] if r["scene"] != "(fold)"]
    assert sorted(held) == [f.name for f in folders]
    saved = json.loads((tmp_path / "cv" / "leave_scenes_out.json").read_text())
    assert saved["pooled"] == result["pooled"] and 0.0 <= result["pooled"]["f1"] <= 1.0
    for k in (1, 2, 3):
        assert (tmp_path / "cv" / f"fold{k}.pt").exists()
