"""Bundled demo models: checksums, safe loading, recipe and metrics, use by name."""

from __future__ import annotations

import json

import pytest

from engine.bundled import MODELS_DIR, manifest, sha256
from engine.checkpoint import load_checkpoint
from engine.lab.weights import RECIPES

MODELS = manifest()


def test_manifest_and_checksum_file_list_every_bundled_model():
    assert "insinet-demo" in MODELS
    sums = dict(reversed(line.split("  ")) for line in (MODELS_DIR / "SHA256SUMS").read_text().splitlines())
    for name, entry in MODELS.items():
        path = MODELS_DIR / entry["file"]
        assert sha256(path) == entry["sha256"] == sums[entry["file"]], f"{name}: checksum mismatch"
        assert path.stat().st_size == entry["size_bytes"] < 10_000_000


@pytest.mark.parametrize("name", sorted(MODELS))
def test_bundled_models_load_safely_and_describe_themselves(name):
    meta = load_checkpoint(MODELS_DIR / MODELS[name]["file"]).metadata  # torch.load(weights_only=True)
    recipe = RECIPES[name]
    assert meta["name"] == name and meta["arch"] == recipe["arch"] and meta["kind"] == recipe["kind"]
    assert "synthetic" in meta["description"] and "your own" in meta["description"]
    assert meta["training"]["recipe"] == json.loads(json.dumps({k: recipe[k] for k in ("data", "train")}))
    assert 0 < meta["metrics"]["reference"]["f1"] <= 1 and "test" in meta["metrics"]
    assert all(s >= 9000 for s in meta["metrics"]["reference_benchmark"]["seeds"])  # held-out test seeds


def test_a_bundled_model_is_used_by_name(tmp_path):
    from engine.detect import detect_changes
    from engine.lab.synthetic import generate

    generate("optical", tmp_path / "scene", size=256, seed=5)
    summary = detect_changes(
        tmp_path / "scene" / "before.tif",
        tmp_path / "scene" / "after.tif",
        "insinet-demo",
        tmp_path / "m.tif",
    )
    assert summary["detector"] == "insinet-demo" and summary["arch"] == "insinet"
