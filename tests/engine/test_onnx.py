"""ONNX: MineCD's exports carry their metadata and match PyTorch; third-party models run from a sidecar."""

from __future__ import annotations

import json

import numpy as np
import pytest
import rasterio
from helpers import TINY_SIDECAR, tiny_onnx_model
from rasterio.transform import from_origin

from engine.detect import detect_changes
from engine.errors import MineCDError
from engine.export import export_onnx
from engine.onnx_models import read_onnx

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # torch.onnx.export, in the tests


def _pair(folder, size=192, change=(60, 120, 40, 100)):
    """A smooth RGB pair; ``change``: rows r0:r1, cols c0:c1 turn bright in the after image."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(3)
    base = (np.kron(rng.random((3, size // 16, size // 16)), np.ones((16, 16))) * 120 + 40).astype(np.uint8)
    after = base.copy()
    r0, r1, c0, c1 = change
    after[:, r0:r1, c0:c1] = 250
    profile = dict(driver="GTiff", width=size, height=size, count=3, dtype="uint8", crs="EPSG:32650",
                   transform=from_origin(500000, 4000000, 1.0, 1.0))  # fmt: skip
    for name, data in (("before", base), ("after", after)):
        with rasterio.open(folder / f"{name}.tif", "w", **profile) as dst:
            dst.write(data)
    return folder


def test_an_exported_model_carries_its_metadata_and_detects_like_pytorch(tmp_path):
    onnx_file = tmp_path / "insinet.onnx"
    info = export_onnx("insinet-demo", onnx_file)
    meta, spec = read_onnx(onnx_file)
    assert spec is None and meta == json.loads(json.dumps(info))
    assert meta["checkpoint"]["arch"] == "insinet" and meta["checkpoint"]["inputs"]["bands"] == [1, 2, 3]
    assert meta["context_scheme"] == "shared" and meta["checkpoint"]["normalisation"]["method"] == "zscore"
    scene = _pair(tmp_path / "scene", 400)  # two blocks of 288 px a side
    common = dict(prob_out=None, tile=288, runtime="onnxruntime", precision="f32")
    probs = []
    for detector, name in ((onnx_file, "onnx"), ("insinet-demo", "torch")):
        options = dict(common, runtime="onnxruntime" if name == "onnx" else "torch")
        s = detect_changes(scene / "before.tif", scene / "after.tif", detector, tmp_path / f"{name}.tif",
                           **{**options, "prob_out": tmp_path / f"{name}_p.tif"})  # fmt: skip
        assert s["context_scheme"] == "shared" and s["tile"] == 288
        probs.append(rasterio.open(tmp_path / f"{name}_p.tif").read(1))
    assert s["runtime"] == "torch"
    assert np.abs(probs[0] - probs[1]).max() < 1e-4


def _third_party(tmp_path, sidecar):
    return tiny_onnx_model(tmp_path, sidecar)


SIDECAR = TINY_SIDECAR


def test_a_third_party_onnx_model_runs_through_detect_with_its_sidecar(tmp_path):
    model = _third_party(tmp_path, SIDECAR)
    scene = _pair(tmp_path / "scene")
    s = detect_changes(scene / "before.tif", scene / "after.tif", model, tmp_path / "m.tif")
    assert s["detector"] == "tiny" and s["arch"] == "onnx"
    assert s["tile"] + 2 * s["overlap"] == 64  # the graph fixes 64 px inputs
    mask = rasterio.open(tmp_path / "m.tif").read(1)
    assert mask[70:110, 50:90].mean() > 0.95 and mask[140:, 140:].mean() < 0.05


def test_onnx_files_that_cannot_be_used_are_refused_in_one_line(tmp_path):
    scene = _pair(tmp_path / "scene")
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"not a model")
    with pytest.raises(MineCDError, match="not a readable ONNX file"):
        detect_changes(scene / "before.tif", scene / "after.tif", bad, tmp_path / "m.tif")
    model = _third_party(tmp_path, None)
    with pytest.raises(MineCDError, match="needs a JSON sidecar"):
        detect_changes(scene / "before.tif", scene / "after.tif", model, tmp_path / "m.tif")
    (tmp_path / "tiny.json").write_text(json.dumps({**SIDECAR, "bands": [1, 2]}))
    with pytest.raises(MineCDError, match="takes 3 channels but the sidecar gives 2"):
        detect_changes(scene / "before.tif", scene / "after.tif", model, tmp_path / "m.tif")
    (tmp_path / "tiny.json").write_text(json.dumps({**SIDECAR, "inputs": ["A", "C"]}))
    with pytest.raises(MineCDError, match="no input 'C'"):
        detect_changes(scene / "before.tif", scene / "after.tif", model, tmp_path / "m.tif")
    assert not (tmp_path / "m.tif").exists()
