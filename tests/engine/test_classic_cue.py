"""A classic detector's change score blended into an adapted network (fitted on validation pixels)."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import rasterio

from engine.archs.insinet import AugmentConfig
from engine.checkpoint import load_checkpoint, update_metadata
from engine.detect import detect_changes
from engine.detectors import load_detector
from engine.detectors.cue import bounded_logit, fused
from engine.errors import MineCDError
from engine.lab.synthetic import generate
from engine.progress import Progress
from engine.raster import InputStack, gdal_env
from engine.streaming import batches
from engine.tiling import TileGrid, TileReader
from engine.train.cue import check_choice, fit_blend, judge
from engine.train.run import train

NO_AUG = AugmentConfig(False, False, 0.0, False)


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    root = tmp_path_factory.mktemp("cue")
    generate("optical", root / "scene", size=256, seed=21)
    return root / "scene"


@pytest.fixture(scope="module")
def weak(scene, tmp_path_factory):
    """A network that has barely trained (one step, a tiny rate), without a cue."""
    out = tmp_path_factory.mktemp("weak") / "weak.pt"
    train("insinet", [scene], out, epochs=1, batch=4, tile=64, steps_per_epoch=1, lr=1e-9, augment=NO_AUG,
          classic_cue="none", log=lambda m: None)  # fmt: skip
    return out


def _read(path):
    with rasterio.open(path) as src:
        return src.read(1)


def test_the_blend_recovers_the_weights_it_was_drawn_with():
    rng = np.random.default_rng(0)
    x = rng.normal(0, 2, (20000, 2))
    truth = np.array([0.5, 1.5, -1.0])
    p = 1 / (1 + np.exp(-(x @ truth[:2] + truth[2])))
    y = (rng.random(len(p)) < p).astype(np.float64)
    beta = fit_blend(x, y, np.ones(len(y)))
    assert np.allclose(beta, truth, atol=0.1)


def test_a_model_with_a_cue_reports_the_blend_of_its_network_and_the_classic_detector(weak, scene, tmp_path):
    fused_model = tmp_path / "fused.pt"
    shutil.copyfile(weak, fused_model)
    weights = [0.7, 1.3, -0.4]
    update_metadata(fused_model, {"fusion": {"classic": "cva", "weights": weights}})
    outputs = {}
    bands = load_checkpoint(weak).metadata["inputs"]["bands"]  # the cue compares the network's bands
    for name, detector in (("network", weak), ("cva", "cva"), ("fused", fused_model)):
        outputs[name] = tmp_path / f"{name}_prob.tif"
        detect_changes(scene / "before.tif", scene / "after.tif", detector, tmp_path / f"{name}.tif",
                       prob_out=outputs[name], runtime="torch", bands=bands)  # fmt: skip
    network, cva, blend = (_read(outputs[k]) for k in ("network", "cva", "fused"))
    expected = fused(network, bounded_logit(cva), weights)
    assert np.abs(blend - expected).max() < 1e-4  # one block: no blending across blocks
    assert np.abs(blend - network).mean() > 0.01  # and the cue does change the map
    assert load_detector(str(fused_model)).describe()["classic_cue"] == "cva"


def test_the_cue_travels_as_scene_state(weak, scene, tmp_path):
    """What a Dask worker gets: a detector restored from the client's fitted state predicts the same."""
    fused_model = tmp_path / "fused.pt"
    shutil.copyfile(weak, fused_model)
    update_metadata(fused_model, {"fusion": {"classic": "cva", "weights": [1.0, 1.0, 0.0]}})
    paths = {"before": scene / "before.tif", "after": scene / "after.tif"}
    results = []
    for fitted in (True, False):
        det = load_detector(str(fused_model), runtime="torch")
        with gdal_env(), InputStack(paths, band_count=det.band_count()) as stack:
            det.check(stack)
            grid = TileGrid(stack.extent, 240)  # a block size the shared context takes
            if fitted:
                det.fit(stack, grid, Progress(None))
                state = det.scene_state()
            else:
                det.restore_scene_state(state)
            reader = TileReader(stack, grid, context=True, halo=24, context_margin=det.context_margin)
            results.append(det.predict(next(batches(reader, 1))))
    assert "__classic_cue__" in state and np.array_equal(results[0], results[1])


def test_training_weighs_the_cue_and_keeps_it_in_the_model(scene, tmp_path):
    messages = []
    out = tmp_path / "adapted.pt"
    result = train("insinet", [scene], out, epochs=1, batch=4, tile=64, steps_per_epoch=1, lr=1e-9,
                   change_weight=5, augment=NO_AUG, log=messages.append)  # fmt: skip
    decision = result["classic_cue"]
    meta = load_checkpoint(out).metadata
    assert meta["training"]["classic_cue"] == decision
    assert decision["classic"] == "cva" and decision["kept"] and decision["fitted_on"] == "validation pixels"
    assert decision["weights"][0] > 0 and decision["weights"][1] > 0
    assert decision["f1"]["blend"] > decision["f1"]["network"]  # an untrained network: CVA says more
    assert meta["fusion"] == {"classic": "cva", "weights": decision["weights"]} and meta["threshold"] == 0.5
    assert any("classic cue (cva)" in m and "kept in the model" in m for m in messages)
    assert not list(tmp_path.glob("minecd-cue-*"))  # its temporary rasters are gone


def test_no_cue_when_told_and_a_cue_of_the_other_modality_is_refused(scene, tmp_path):
    out = tmp_path / "plain.pt"
    result = train("insinet", [scene], out, epochs=1, batch=4, tile=64, steps_per_epoch=1,
                   augment=NO_AUG, classic_cue="none", log=lambda m: None)  # fmt: skip
    meta = load_checkpoint(out).metadata
    assert "classic_cue" not in result and "fusion" not in meta and "classic_cue" not in meta["training"]
    with pytest.raises(MineCDError, match="classic cue 'logratio' is for sar data"):
        train("insinet", [scene], tmp_path / "x.pt", epochs=1, classic_cue="logratio", log=lambda m: None)
    assert not (tmp_path / "x.pt").exists()
    with pytest.raises(MineCDError, match="classic cue 'ndvi'"):
        check_choice("ndvi")


def test_an_onnx_export_carries_the_cue(weak, scene, tmp_path):
    from engine.export import export_onnx

    fused_model = tmp_path / "fused.pt"
    shutil.copyfile(weak, fused_model)
    update_metadata(fused_model, {"fusion": {"classic": "cva", "weights": [0.7, 1.3, -0.4]}})
    export_onnx(str(fused_model), tmp_path / "fused.onnx")
    assert load_detector(str(tmp_path / "fused.onnx")).describe()["classic_cue"] == "cva"
    maps = []
    for name, model in (("pt", fused_model), ("onnx", tmp_path / "fused.onnx")):
        detect_changes(scene / "before.tif", scene / "after.tif", model, tmp_path / f"{name}.tif",
                       prob_out=tmp_path / f"{name}_p.tif", runtime="onnxruntime")  # fmt: skip
        maps.append(_read(tmp_path / f"{name}_p.tif"))
    assert np.abs(maps[0] - maps[1]).max() < 1e-4


def test_a_blend_that_switches_the_detections_off_is_not_kept():
    """Fitted on few pixels, a blend can shift its intercept until the network's detections vanish."""
    rng = np.random.default_rng(1)
    y = rng.random(5000) < 0.05
    x = np.stack([np.where(y, 2.0, -2.0) + rng.normal(0, 1.5, len(y)), rng.normal(0, 1, len(y))], axis=1)
    x[:, 1] += np.where(y, 1.0, 0.0)
    helpful = judge(x, y, np.array([1.0, 0.3, 0.0]))
    switched_off = judge(x, y, np.array([0.8, 0.05, -6.0]))
    assert helpful["kept"] and "why" not in helpful
    assert switched_off["f1"]["blend"] < 0.5 * switched_off["f1"]["network"]
    assert not switched_off["kept"] and "turned off" in switched_off["why"]
    assert judge(x, y, np.array([1.0, -0.3, 0.0]))["kept"] is False  # the cue pointing the wrong way
