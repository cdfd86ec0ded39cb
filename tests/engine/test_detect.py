"""The inference driver: outputs, AOI, cancel, prefetch, classic detectors, torch runner."""

from __future__ import annotations

import json

import numpy as np
import pytest
import rasterio
from helpers import f1_score, read

from engine.detect import detect_changes
from engine.detectors.classic import ChangeVectorAnalysis
from engine.errors import Cancelled, MineCDError
from engine.progress import CancelToken
from engine.streaming import prefetch


def test_cva_finds_a_planted_change_and_writes_proper_outputs(tmp_path, optical_pair):
    before, after, truth = optical_pair
    steps = []
    summary = detect_changes(
        before,
        after,
        "cva",
        tmp_path / "mask.tif",
        prob_out=tmp_path / "prob.tif",
        tile=128,
        progress=lambda f, m: steps.append(f),
    )
    mask = read(tmp_path / "mask.tif")
    assert f1_score(mask, truth) >= 0.9
    assert steps == sorted(steps) and steps[-1] == 1.0
    with rasterio.open(tmp_path / "mask.tif") as ds, rasterio.open(before) as ref:
        assert ds.dtypes[0] == "uint8" and ds.nodata == 255
        assert ds.crs == ref.crs and ds.transform == ref.transform
        assert ds.profile["tiled"] and ds.profile["compress"] == "deflate"
        assert ds.overviews(1) == [2]
    with rasterio.open(tmp_path / "prob.tif") as ds:
        prob = ds.read(1)
        assert ds.dtypes[0] == "float32" and ds.nodata == -1
    assert ((prob >= 0.5) == (mask == 1)).all()
    assert summary["changed_pixels"] == int((mask == 1).sum())
    assert summary["changed_area_m2"] == pytest.approx(summary["changed_pixels"] * 1.0)
    assert summary["changed_area_ha"] == pytest.approx(summary["changed_area_m2"] / 1e4)
    assert summary["detector"] == "cva" and summary["device"] == "cpu"
    assert summary["pixels_read_per_output_pixel"] == pytest.approx(1.0)
    json.dumps(summary)  # JSON-serialisable
    assert not list(tmp_path.glob(".*part*"))


def test_threshold_and_probability_are_consistent(tmp_path, optical_pair):
    before, after, _ = optical_pair
    low = detect_changes(before, after, "cva", tmp_path / "low.tif", threshold=0.2)
    high = detect_changes(before, after, "cva", tmp_path / "high.tif", threshold=0.8)
    assert low["changed_pixels"] > high["changed_pixels"]
    with pytest.raises(MineCDError, match="threshold must be between 0 and 1"):
        detect_changes(before, after, "cva", tmp_path / "bad.tif", threshold=1.5)


def test_logratio_finds_a_planted_backscatter_change(tmp_path, geotiff):
    rng = np.random.default_rng(7)
    h, w = 400, 400
    sigma0 = np.full((h, w), 0.2)
    sigma0[:, 200:] = 0.05  # two land covers
    truth = np.zeros((h, w), dtype=bool)
    truth[100:220, 60:300] = True  # excavation: backscatter up by 6 dB
    sigma_after = np.where(truth, sigma0 * 4.0, sigma0)

    def slc(sig):  # single-look complex with circular Gaussian speckle
        return (np.sqrt(sig / 2) * (rng.normal(size=(h, w)) + 1j * rng.normal(size=(h, w)))).astype(
            np.complex64
        )

    summary = detect_changes(
        geotiff("a.tif", slc(sigma0)),
        geotiff("b.tif", slc(sigma_after)),
        "logratio",
        tmp_path / "m.tif",
        detector_options={"window": 7},
    )
    assert summary["overlap"] == 3
    assert f1_score(read(tmp_path / "m.tif"), truth) >= 0.9
    amp = detect_changes(
        geotiff("aa.tif", np.abs(slc(sigma0))),
        geotiff("ab.tif", np.abs(slc(sigma_after))),
        "logratio",
        tmp_path / "m2.tif",
        detector_options={"window": 7, "method": "otsu"},
    )
    assert amp["threshold_method"] == "otsu"
    assert f1_score(read(tmp_path / "m2.tif"), truth) >= 0.9


def test_classic_detectors_have_no_tile_seams(tmp_path, optical_pair):
    before, after, _ = optical_pair
    detect_changes(before, after, "cva", tmp_path / "t64.tif", tile=64)
    detect_changes(before, after, "cva", tmp_path / "t256.tif", tile=256)
    assert (read(tmp_path / "t64.tif") == read(tmp_path / "t256.tif")).mean() > 0.999


def test_polygon_aoi_limits_the_output(tmp_path, optical_pair):
    from engine.vector import write_polygons

    before, after, truth = optical_pair
    ring = [
        [500_100, 3_999_900],
        [500_400, 3_999_900],
        [500_400, 3_999_600],
        [500_100, 3_999_600],
        [500_100, 3_999_900],
    ]
    aoi = tmp_path / "aoi.gpkg"
    write_polygons(
        aoi, [({"type": "Polygon", "coordinates": [ring]}, {"name": "pit"})], "EPSG:32650", {"name": str}
    )
    summary = detect_changes(before, after, "cva", tmp_path / "m.tif", aoi=str(aoi))
    assert (summary["width"], summary["height"]) == (300, 300)
    assert summary["extent"] == [500_100, 3_999_600, 500_400, 3_999_900]
    bbox = detect_changes(
        before, after, "cva", tmp_path / "b.tif", aoi="500100,3999600,500400,3999900 [EPSG:32650]"
    )
    assert (bbox["width"], bbox["height"]) == (300, 300)
    triangle = [[500_100, 3_999_900], [500_400, 3_999_900], [500_100, 3_999_600], [500_100, 3_999_900]]
    write_polygons(
        aoi, [({"type": "Polygon", "coordinates": [triangle]}, {"name": "t"})], "EPSG:32650", {"name": str}
    )
    detect_changes(before, after, "cva", tmp_path / "t.tif", aoi=str(aoi))
    m = read(tmp_path / "t.tif")
    assert (m[-10:, -10:] == 255).all() and (m[:10, :10] != 255).all()


def test_cancel_mid_run_leaves_no_output(tmp_path, optical_pair):
    before, after, _ = optical_pair
    token = CancelToken()
    seen = []

    def progress(fraction, message):
        seen.append(message)
        if message.startswith("tile"):
            token.cancel()

    out, prob = tmp_path / "mask.tif", tmp_path / "prob.tif"
    with pytest.raises(Cancelled):
        detect_changes(
            before, after, "cva", out, prob_out=prob, tile=64, batch=2, progress=progress, cancel=token
        )
    assert any(m.startswith("tile") for m in seen)
    assert not out.exists() and not prob.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["after.tif", "before.tif"]


def test_cancel_token_polls_a_callable():
    flags = {"stop": False}
    token = CancelToken(check=lambda: flags["stop"])
    assert not token.cancelled
    flags["stop"] = True
    with pytest.raises(Cancelled):
        token.raise_if_cancelled()


def test_a_previous_output_survives_a_failed_run(tmp_path, optical_pair):
    before, after, _ = optical_pair
    out = tmp_path / "mask.tif"
    out.write_bytes(b"previous result")
    with pytest.raises(Cancelled):
        detect_changes(before, after, "cva", out, cancel=_cancelled_token())
    assert out.read_bytes() == b"previous result"


def _cancelled_token():
    token = CancelToken()
    token.cancel()
    return token


def test_prefetch_forwards_items_and_errors():
    assert list(prefetch(iter(range(10)))) == list(range(10))

    def failing():
        yield 1
        raise ValueError("reader broke")

    with pytest.raises(ValueError, match="reader broke"):
        list(prefetch(failing()))
    early = prefetch(iter(range(1000)))
    assert next(early) == 0
    early.close()  # stops the producer thread without draining


def test_unknown_detector_and_bad_sizes(tmp_path, optical_pair):
    before, after, _ = optical_pair
    with pytest.raises(MineCDError, match="unknown detector 'magic'"):
        detect_changes(before, after, "magic", tmp_path / "m.tif")
    with pytest.raises(MineCDError, match="batch size must be at least 1"):
        detect_changes(before, after, "cva", tmp_path / "m.tif", batch=0)
    with pytest.raises(MineCDError, match="overlap 300 is larger than the tile size 256"):
        detect_changes(before, after, "cva", tmp_path / "m.tif", overlap=300)


def test_cva_is_robust_to_a_global_radiometric_change():
    cva = ChangeVectorAnalysis()
    rng = np.random.default_rng(0)
    before = rng.normal(100, 10, (3, 5000))
    after = 1.5 * before + 30  # same scene, other sensor gain and offset
    cva.stats = {}
    for role, v in (("before", before), ("after", after)):
        median = np.median(v, axis=1)
        cva.stats[role] = (median, 1.4826 * np.median(np.abs(v - median[:, None]), axis=1))
    assert cva.magnitude(before, after).max() < 1e-6


# ---------------------------------------------------------------- torch runner
@pytest.mark.filterwarnings("ignore:CUDA is not available")
def test_torch_runner_splits_batches_on_cuda_oom_then_falls_back_to_cpu():
    import torch

    from engine.torch_runner import TorchRunner

    model = torch.nn.Conv2d(1, 1, 1, bias=False)
    torch.nn.init.constant_(model.weight, 2.0)
    calls, messages = [], []

    def forward(t):
        n = t["x"].shape[0]
        calls.append((runner.device, n))
        if runner.device != "cpu" and (n > 2 or fail_always["on"]):
            raise torch.cuda.OutOfMemoryError("simulated")
        return model(t["x"].float())

    fail_always = {"on": False}
    runner = TorchRunner(model, forward, device="cpu", log=messages.append)
    runner.device = "cuda:0"  # pretend: the OOM path is what is tested
    runner._tensor = lambda a: torch.from_numpy(np.ascontiguousarray(a))
    x = np.arange(8 * 4 * 4, dtype=np.float32).reshape(8, 1, 4, 4)
    out = runner({"x": x})
    np.testing.assert_allclose(out, 2 * x)
    assert runner.max_batch == 2 and messages[0].startswith("CUDA out of memory with 8 tiles")
    assert [n for d, n in calls if d != "cpu"][-4:] == [2, 2, 2, 2]

    fail_always["on"] = True
    runner.max_batch = 1
    out = runner({"x": x[:3]})
    np.testing.assert_allclose(out, 2 * x[:3])
    assert runner.device == "cpu" and "continuing on the CPU" in messages[-1]


def test_resolve_device():
    import torch

    from engine.torch_runner import resolve_device

    assert resolve_device("cpu") == "cpu"
    assert resolve_device("auto") == ("cuda:0" if torch.cuda.is_available() else "cpu")
    with pytest.raises(MineCDError, match="unknown device 'tpu'"):
        resolve_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(MineCDError, match="no CUDA GPU is available"):
            resolve_device("cuda:0")


def test_default_batch_is_larger_on_a_gpu(tmp_path, optical_pair):
    before, after, _ = optical_pair

    class OnCuda(ChangeVectorAnalysis):  # a classic detector computes on the CPU whatever the label
        device = "cuda:0"

    on_cpu = detect_changes(before, after, "cva", tmp_path / "cpu.tif")
    on_gpu = detect_changes(before, after, OnCuda(), tmp_path / "gpu.tif")
    assert on_cpu["batch"] == 8 and on_gpu["batch"] == 32
    assert np.array_equal(read(tmp_path / "cpu.tif"), read(tmp_path / "gpu.tif"))  # batching changes nothing
