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
    assert "your own" in meta["description"]
    assert meta["training"]["recipe"] == json.loads(json.dumps({k: recipe[k] for k in ("data", "train")}))
    assert 0 < meta["metrics"]["reference"]["f1"] <= 1 and "test" in meta["metrics"]
    if "real" in recipe["data"]:  # scored on cities it never saw
        assert "OSCD" in meta["description"] and "not mines" in meta["description"]
        assert meta["metrics"]["reference"]["benchmark"].startswith("leave-cities-out")
        test_city = recipe["data"]["test"]
        assert test_city not in recipe["data"]["scenes"] and 0 < meta["metrics"][test_city]["f1"] <= 1
    else:
        assert "synthetic" in meta["description"]
        assert all(s >= 9000 for s in meta["metrics"]["reference_benchmark"]["seeds"])  # held-out seeds


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


def test_the_sentinel2_model_runs_on_a_4_band_reflectance_pair_with_no_option(tmp_path):
    if "insinet-s2" not in MODELS:
        pytest.skip("insinet-s2 is not bundled")
    import numpy as np
    import rasterio
    from rasterio.transform import from_origin

    from engine.detect import detect_changes

    rng = np.random.default_rng(3)
    profile = {"driver": "GTiff", "width": 200, "height": 160, "count": 4, "dtype": "uint16",
               "crs": "EPSG:32631", "transform": from_origin(600000, 5200000, 10, 10)}  # fmt: skip
    for name, level in (("before", 900), ("after", 1100)):  # a brighter after date (haze, season)
        data = rng.normal(level, 60, (4, 160, 200)).clip(1, 10000).astype(np.uint16)
        if name == "after":
            data[:, 60:100, 80:130] = 3000  # a new bright surface
        with rasterio.open(tmp_path / f"{name}.tif", "w", **profile) as w:
            w.write(data)
    summary = detect_changes(
        tmp_path / "before.tif", tmp_path / "after.tif", "insinet-s2", tmp_path / "m.tif"
    )
    assert summary["detector"] == "insinet-s2" and summary["context_scheme"] == "shared"
    assert summary["valid_pixels"] == 32000
