"""SAR path: coherence estimator, channels, normalisation, augmentations, pseudo-labels, U-Net."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest
import rasterio
import torch

from engine.archs.sarunet import SarAugmentConfig, augment_sar, shear_y
from engine.detect import detect_changes
from engine.errors import MineCDError
from engine.normalise import apply, fit
from engine.sar.channels import SarChannels, to_intensity
from engine.sar.coherence import boxcar, coherence, compute_coherence, estimate_ramp, parse_window
from engine.train.pseudo import select_pseudo_labels


def _pair(gamma, shape=(256, 256), ramp=(0.0, 0.0), seed=0):
    rng = np.random.default_rng(seed)
    c1 = (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)) / np.sqrt(2)
    c2 = (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)) / np.sqrt(2)
    rows, cols = np.mgrid[0 : shape[0], 0 : shape[1]]
    phase = 2 * np.pi * (ramp[0] * cols + ramp[1] * rows)
    return c1.astype(np.complex64), ((gamma * c1 + np.sqrt(1 - gamma**2) * c2) * np.exp(1j * phase)).astype(
        np.complex64
    )


@pytest.mark.parametrize("window, expected", [((5, 5), 0.178), ((10, 10), 0.089), ((4, 25), 0.089)])
def test_zero_coherence_follows_the_small_sample_bias(window, expected):
    z1, z2 = _pair(0.0, (384, 384))
    estimate = np.nanmean(coherence(z1, z2, np.ones(z1.shape, bool), window))
    assert estimate == pytest.approx(expected, rel=0.06)


def test_high_coherence_is_recovered_and_a_ramp_can_be_removed():
    valid = np.ones((256, 256), bool)
    z1, z2 = _pair(0.9)
    assert np.nanmean(coherence(z1, z2, valid)) == pytest.approx(0.9, abs=0.01)
    z1, z2 = _pair(0.9, ramp=(0.07, -0.03))
    assert np.nanmean(coherence(z1, z2, valid)) < 0.8  # fringes inside the window lower it
    fx, fy = estimate_ramp(z1, z2, valid)
    assert (fx, fy) == pytest.approx((0.07, -0.03), abs=1 / 256)
    assert np.nanmean(coherence(z1, z2, valid, ramp=(fx, fy, 0, 0))) == pytest.approx(0.9, abs=0.01)


def test_nodata_is_kept_out_of_the_sums():
    z1, z2 = _pair(0.9, (64, 64))
    valid = np.ones((64, 64), bool)
    valid[:, :32] = False
    noisy = z2.copy()
    noisy[:, :32] = 1000  # garbage where there is no data must not matter
    gamma = coherence(z1, noisy, valid)
    assert np.isnan(gamma[:, :32]).all()
    assert np.nanmean(gamma[:, 34:]) == pytest.approx(0.9, abs=0.03)


@pytest.mark.parametrize("window", [(5, 5), (3, 11), (4, 6)])
def test_boxcar_is_the_window_mean_and_does_not_depend_on_where_the_array_starts(window):
    x = np.random.default_rng(1).random((2, 40, 50)).astype(np.float32)
    got = boxcar(x, window)
    (h, w), (top, left) = window, (window[0] // 2, window[1] // 2)
    padded = np.pad(x, ((0, 0), (top, h - 1 - top), (left, w - 1 - left)))
    want = np.stack(
        [[padded[:, i : i + h, j : j + w].mean(axis=(1, 2)) for j in range(50)] for i in range(40)]
    )
    assert got.shape == x.shape and got.dtype == np.float32
    assert np.allclose(got, np.moveaxis(want, 2, 0), rtol=0, atol=1e-6)
    crop = boxcar(x[:, 7:33, 9:41], window)  # a tile with enough halo: its interior is exactly the scene's
    assert np.array_equal(crop[:, h:-h, w:-w], got[:, 7 + h : 33 - h, 9 + w : 41 - w])


def test_coherence_raster_is_streamed_without_seams(tmp_path, geotiff):
    z1, z2 = _pair(0.6, (300, 280), ramp=(0.01, 0.0), seed=3)
    z1[:20, :20] = np.nan
    a, b = geotiff("a.tif", z1), geotiff("b.tif", z2)
    compute_coherence(a, b, tmp_path / "small_tiles.tif", "5x5", tile=64)
    compute_coherence(a, b, tmp_path / "one_tile.tif", (5, 5), tile=512)
    small, whole = (rasterio.open(tmp_path / n).read(1) for n in ("small_tiles.tif", "one_tile.tif"))
    assert np.array_equal(small, whole)
    assert (small[:18, :18] == -1).all() and 0.5 < small[50:, 50:].mean() < 0.7
    with rasterio.open(tmp_path / "one_tile.tif") as ds:
        assert ds.dtypes[0] == "float32" and ds.nodata == -1
    with pytest.raises(MineCDError, match="not complex"):
        compute_coherence(geotiff("r.tif", np.abs(z1)), b, tmp_path / "x.tif")


def test_coherence_command(repo, tmp_path, geotiff):
    z1, z2 = _pair(0.8, (128, 128))
    a, b = geotiff("a.tif", z1), geotiff("b.tif", z2)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "engine",
            "coherence",
            "--before",
            str(a),
            "--after",
            str(b),
            "--out",
            str(tmp_path / "c.tif"),
            "--window",
            "3x7",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        cwd=repo,
    )
    assert proc.returncode == 0, proc.stderr
    assert rasterio.open(tmp_path / "c.tif").read(1)[10:-10, 10:-10].mean() == pytest.approx(0.8, abs=0.05)
    assert parse_window("3x7") == (3, 7) and parse_window(5) == (5, 5)
    with pytest.raises(MineCDError, match="expected AZxRG"):
        parse_window("big")


def test_units_and_channels():
    amp = np.array([[[1.0, 2.0]]], dtype=np.float32)
    assert np.allclose(to_intensity(amp, "amplitude"), [[[1.0, 4.0]]])
    assert np.allclose(to_intensity(np.array([[[0.0, 10.0]]]), "db"), [[[1.0, 10.0]]])
    channels = SarChannels("amplitude+coherence", True, units="intensity")
    data = {
        "before": np.full((1, 4, 4), 0.1),
        "after": np.full((1, 4, 4), 1.0),
        "coherence": np.full((1, 4, 4), 0.3),
    }
    x = channels.compute(data, np.ones((4, 4), bool))
    assert x.shape == (3, 4, 4) and np.allclose(x[0], -10) and np.allclose(x[1], 0) and np.allclose(x[2], 0.3)
    assert channels.halo == 0 and SarChannels("slc", True, (5, 7)).halo == 3
    with pytest.raises(MineCDError, match="needs coherence"):
        SarChannels("amplitude", True)


def test_modified_z_score_tanh_normalisation_is_the_papers():
    rng = np.random.default_rng(0)
    samples = rng.normal(-12, 3, (2, 10_000))
    params = fit("mz-tanh", samples)
    median, mad = (
        np.median(samples, axis=1),
        np.median(np.abs(samples - np.median(samples, axis=1)[:, None]), axis=1),
    )
    assert np.allclose(params["median"], median) and np.allclose(params["mad"], mad)
    x = np.array([[[[-12.0, -3.0]], [[-20.0, -12.0]]]])
    expected = 0.5 * (np.tanh(0.6745 * (x - median[None, :, None, None]) / mad[None, :, None, None] / 3) + 1)
    assert np.allclose(apply(params, x), expected, atol=1e-6)
    valid = np.array([[[True, False]]])
    assert apply(params, x, valid)[0, :, 0, 1].tolist() == [0.5, 0.5]  # no data: the neutral value


def test_both_dates_share_one_amplitude_statistic_so_the_swap_commutes_with_normalising():
    rng = np.random.default_rng(1)
    samples = np.stack([rng.normal(-12, 3, 5000), rng.normal(-10, 2, 5000), rng.uniform(0, 1, 5000)])
    per_date = fit("mz-tanh", samples)
    shared = fit("mz-tanh", samples, shared=((0, 1),))
    pooled = np.concatenate([samples[0], samples[1]])
    assert shared["median"][0] == shared["median"][1] == pytest.approx(np.median(pooled))
    assert shared["mad"][0] == pytest.approx(np.median(np.abs(pooled - np.median(pooled))))
    assert shared["median"][2] == per_date["median"][2] and shared["shared"] == [[0, 1]]
    x = rng.normal(-11, 3, (4, 3, 8, 8))
    swapped = x[:, [1, 0, 2]]
    assert np.allclose(apply(shared, swapped), apply(shared, x)[:, [1, 0, 2]])
    assert not np.allclose(apply(per_date, swapped), apply(per_date, x)[:, [1, 0, 2]], atol=0.01)


def _batch():
    x = torch.zeros(1, 3, 8, 8)
    x[0, 0] = torch.arange(64.0).reshape(8, 8)  # amplitude before
    x[0, 1] = 100 + torch.arange(64.0).reshape(8, 8)  # amplitude after
    x[0, 2] = 0.05  # coherence
    x[0, 2, :, 4:] = 0.5
    labels = torch.zeros(1, 8, 8, dtype=torch.long)
    labels[0, :2] = 1
    return {"x": x, "labels": labels}


def _only(**flags):
    config = SarAugmentConfig.none()
    for k, v in flags.items():
        setattr(config, k, v)
    config.p = 1.0
    return config


def test_each_sar_augmentation_does_what_the_paper_says():
    gen = torch.Generator().manual_seed(0)
    b = _batch()
    v = augment_sar(b, _only(vflip=True), gen)
    assert torch.equal(v["x"][0, 0], torch.flip(b["x"][0, 0], (0,))) and v["labels"][0, -1].eq(1).all()
    h = augment_sar(b, _only(hflip=True), gen)
    assert torch.equal(h["x"][0, 0], torch.flip(b["x"][0, 0], (1,)))
    s = augment_sar(b, _only(swap=True), gen)
    assert torch.equal(s["x"][0, 0], b["x"][0, 1]) and torch.equal(s["x"][0, 1], b["x"][0, 0])
    c = augment_sar(b, _only(coherence_scaling=True), gen)
    scaled = c["x"][0, 2]
    assert (scaled[2:, :4] <= 0.05).all() and (scaled[2:, :4] < 0.05).any()  # label 0 and coherence < 0.1
    assert torch.equal(scaled[:2], b["x"][0, 2, :2]) and torch.equal(scaled[:, 4:], b["x"][0, 2, :, 4:])
    big = {"x": torch.rand(8, 3, 64, 64), "labels": torch.zeros(8, 64, 64, dtype=torch.long)}
    sheared = augment_sar(big, _only(shear=True, shear_degrees=10.0), gen)
    assert not torch.equal(sheared["x"], big["x"])
    assert np.isin(sheared["x"].numpy(), big["x"].numpy()).all()  # speckle samples moved, never blended
    labels = shear_y(np.zeros((64, 64), np.uint8), 10.0, order=0, cval=255)
    assert (labels[:, 32] == 0).all()  # the centre column stays put
    assert (labels[:3, -1] == 255).all() and (labels[-3:, 0] == 255).all()  # sheared in: ignored by the loss
    assert not augment_sar(b, SarAugmentConfig.none(), gen)["x"].ne(b["x"]).any()


def test_pseudo_label_selection_rule():
    prob = np.full((5, 10, 10), 0.5, dtype=np.float32)
    prob[0] = 0.95  # confident change everywhere
    prob[1] = 0.02  # confident no change
    prob[2] = 0.95
    prob[2, :2] = 0.5  # only 80 % confident: rejected (q = 90 %)
    prob[3] = 0.9
    prob[3, 0, 0] = 0.6  # 99 % confident: kept
    valid = np.ones(prob.shape, bool)
    valid[3, 5:] = False  # no-data pixels do not count and get label 255
    keep, labels = select_pseudo_labels(prob, valid, q=0.9, c=0.85)
    assert sorted(keep.tolist()) == [0, 1, 3]
    assert labels[list(keep).index(1)].max() == 0 and labels[list(keep).index(0)].min() == 1
    assert (labels[list(keep).index(3)][5:] == 255).all()
    keep, _ = select_pseudo_labels(prob, valid, limit=2)
    assert len(keep) == 2


@pytest.fixture(scope="module")
def sar_sites(tmp_path_factory):
    from engine.lab.synthetic import generate_dataset

    root = tmp_path_factory.mktemp("sar_sites")
    generate_dataset("sar", root, sites=3, size=256, seed=8)
    return [root / f"site_0{i}" for i in (1, 2, 3)]


def test_sar_unet_trains_and_detects_on_an_slc_pair(sar_sites, tmp_path):
    from engine.checkpoint import load_checkpoint
    from engine.train.run import train

    out = tmp_path / "sar.pt"
    result = train("sarunet", sar_sites, out, epochs=2, batch=4, tile=128, balanced=False, log=lambda m: None)
    assert result["chips"]["train"] == 4
    meta = load_checkpoint(out).metadata
    assert meta["arch"] == "sarunet" and meta["kind"] == "sar" and meta["context"] is False
    assert meta["inputs"]["mode"] == "slc" and meta["inputs"]["channels"][-1] == "coherence"
    assert meta["normalisation"]["method"] == "mz-tanh" and len(meta["normalisation"]["median"]) == 3
    assert -40 < meta["normalisation"]["median"][0] < 10  # dB of the training amplitudes
    assert meta["normalisation"]["median"][0] == meta["normalisation"]["median"][1]  # one for both dates
    cfg = meta["training"]["config"]
    assert cfg["optimizer"] == "adamw" and cfg["weight_decay"] == 0.01 and cfg["lr_drop_at"] == 0.9
    summary = detect_changes(sar_sites[0] / "before.tif", sar_sites[0] / "after.tif", out, tmp_path / "m.tif")
    assert summary["overlap"] == 48 and summary["arch"] == "sarunet"  # blocks join without seams
    assert rasterio.open(tmp_path / "m.tif").read(1).max() <= 1
    amplitude = tmp_path / "amp"
    amplitude.mkdir()
    for name in ("before", "after"):
        z = rasterio.open(sar_sites[0] / f"{name}.tif").read(1)
        with rasterio.open(sar_sites[0] / f"{name}.tif") as src:
            profile = {**src.profile, "dtype": "float32"}
        with rasterio.open(amplitude / f"{name}.tif", "w", **profile) as dst:
            dst.write(np.abs(z).astype(np.float32), 1)
    with pytest.raises(MineCDError, match="needs coherence"):
        detect_changes(amplitude / "before.tif", amplitude / "after.tif", out, tmp_path / "m2.tif")
    compute_coherence(sar_sites[0] / "before.tif", sar_sites[0] / "after.tif", amplitude / "coherence.tif")
    summary = detect_changes(
        amplitude / "before.tif",
        amplitude / "after.tif",
        out,
        tmp_path / "m3.tif",
        extra_inputs={"coherence": amplitude / "coherence.tif"},
        overlap=0,
    )
    assert summary["overlap"] == 0  # a given coherence needs no window: no halo at all


def test_sar_training_reaches_the_learning_rate_drop_before_early_stopping(sar_sites, tmp_path, monkeypatch):
    import csv

    from engine.train.run import train
    from engine.train.trainer import TrainConfig, Trainer, early_stop_due

    real = Trainer.evaluate

    def never_better(self, split):  # validation F1 0 and a rising loss: no progress after epoch 1
        metrics = real(self, split)
        if split == "val":
            metrics.update(f1=0.0, loss=1.0 + len(self.history))
        return metrics

    monkeypatch.setattr(Trainer, "evaluate", never_better)
    out, messages = tmp_path / "drop.pt", []
    train("sarunet", sar_sites, out, epochs=5, batch=4, tile=128, patience=2, log=messages.append)
    rows = list(csv.DictReader(open(out.with_suffix(".csv"))))
    assert len(rows) == 5 and not any(m.startswith("early stop") for m in messages)
    assert float(rows[-1]["lr"]) == pytest.approx(1e-4) and float(rows[-2]["lr"]) == pytest.approx(1e-3)
    # Without a drop, the same patience stops 2 epochs after the best; with one, 2 epochs after it.
    assert early_stop_due(3, 1, TrainConfig(epochs=100, patience=2))
    stepped = TrainConfig(epochs=100, patience=2, lr_drop_at=0.9)
    assert not early_stop_due(91, 1, stepped) and early_stop_due(92, 1, stepped)
    assert not early_stop_due(95, 94, stepped) and early_stop_due(96, 94, stepped)


def test_pseudolabel_command_and_cross_site_protocol(repo, sar_sites, tmp_path):
    from engine.lab.crosssite import _evaluate_site, cross_site
    from engine.lab.synthetic import generate

    generate("sar", tmp_path / "unlabelled", size=256, seed=77)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "engine",
            "pseudolabel",
            "--data",
            *map(str, sar_sites),
            "--unlabelled",
            str(tmp_path / "unlabelled"),
            "--out",
            str(tmp_path / "p.pt"),
            "--epochs",
            "1",
            "--batch",
            "4",
            "--tile",
            "128",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        cwd=repo,
    )
    assert proc.returncode == 0, proc.stderr
    assert "unlabelled patches as pseudo-labels" in proc.stdout
    from engine.checkpoint import load_checkpoint

    info = load_checkpoint(tmp_path / "p.pt").metadata["training"]["pseudo_labelling"]
    assert info["candidates"] == 4 and info["q"] == 0.9 and info["c"] == 0.85
    args = [sys.executable, "-m", "engine", "pseudolabel", "--data", *map(str, sar_sites), "--unlabelled",
            str(tmp_path / "unlabelled"), "--epochs", "1", "--batch", "4", "--tile", "128"]  # fmt: skip
    again = subprocess.run(
        [*args, "--out", str(tmp_path / "q.pt"), "--teacher", str(tmp_path / "p.pt")],
        capture_output=True,
        text=True,
        cwd=repo,
    )
    assert again.returncode == 0, again.stderr
    assert (
        "teacher: training" not in again.stderr + again.stdout and "teacher: " in again.stderr + again.stdout
    )
    missing = subprocess.run([*args, "--out", str(tmp_path / "r.pt"), "--teacher", str(tmp_path / "none.pt")],
                             capture_output=True, text=True, cwd=repo)  # fmt: skip
    assert missing.returncode == 2 and "none.pt: checkpoint file not found" in missing.stderr

    result = cross_site(
        sar_sites,
        tmp_path / "xs",
        seeds=(0,),
        epochs=1,
        batch=4,
        rows=("amplitude only", "+ coherence"),
        log=lambda m: None,
    )
    assert set(result["rows"]) == {"amplitude only", "+ coherence"}
    assert len(result["baseline"]) == 2  # A>B>C and the swap
    assert "log-ratio (baseline)" in (tmp_path / "xs" / "crosssite.md").read_text()
    assert "time-reversed" in (tmp_path / "xs" / "crosssite.md").read_text()
    for direction, base in result["baseline"].items():  # |ln ratio| does not care which date is first
        assert abs(base["reversed_f1"] - base["f1"]) < 0.01, direction
    # The time-reversed test is the test site with its date files exchanged.
    name, per_dir = next(iter(result["rows"]["+ coherence"].items()))
    test_site = sar_sites[2] if name.startswith(sar_sites[0].name) else sar_sites[0]
    exchanged = tmp_path / "exchanged" / test_site.name
    shutil.copytree(test_site, exchanged)
    (exchanged / "before.tif").unlink()
    (exchanged / "after.tif").unlink()
    shutil.copy(test_site / "after.tif", exchanged / "before.tif")
    shutil.copy(test_site / "before.tif", exchanged / "after.tif")
    ckpt = tmp_path / "xs" / f"{name.replace('>', '_')}_1_0.pt"
    assert (
        _evaluate_site(str(ckpt), exchanged, tmp_path, "cpu")["f1"] == per_dir["runs"][0]["reversed_test_f1"]
    )

    # Running the same table again continues from runs.json: nothing is trained twice.
    models = [f for f in (tmp_path / "xs").glob("*.pt") if not f.name.endswith(".state.pt")]
    checkpoints = {f: f.stat().st_mtime_ns for f in models}
    assert len(checkpoints) == 4  # 2 directions x 2 rows x 1 seed
    messages = []
    again = cross_site(sar_sites, tmp_path / "xs", seeds=(0,), epochs=1, batch=4,
                       rows=("amplitude only", "+ coherence"), log=messages.append)  # fmt: skip
    assert again["rows"] == result["rows"]
    assert sum("finished earlier" in m for m in messages) == 4
    assert {f: f.stat().st_mtime_ns for f in checkpoints} == checkpoints
    with pytest.raises(MineCDError, match="other sites, epochs or batch size"):
        cross_site(sar_sites, tmp_path / "xs", seeds=(0,), epochs=2, batch=4, rows=("amplitude only",),
                   log=lambda m: None)  # fmt: skip


def test_pseudolabel_reuses_a_teacher_and_keeps_it_when_nothing_is_confident(sar_sites, tmp_path):
    from engine.checkpoint import load_checkpoint
    from engine.lab.synthetic import generate
    from engine.train.pseudo import pseudolabel
    from engine.train.run import Options, train

    generate("sar", tmp_path / "u", size=256, seed=78)
    o = Options(epochs=1, batch=4, tile=128, seed=2)
    train("sarunet", sar_sites, tmp_path / "teacher.pt", o, log=lambda m: None)
    teacher = load_checkpoint(tmp_path / "teacher.pt")
    messages = []
    strict = pseudolabel(sar_sites, [tmp_path / "u"], tmp_path / "s0.pt", o, c=0.99999,
                         teacher=tmp_path / "teacher.pt", log=messages.append)  # fmt: skip
    assert strict["pseudo_labelling"]["kept"] == 0 and not any("teacher: training" in m for m in messages)
    same = load_checkpoint(tmp_path / "s0.pt")
    assert all(torch.equal(same.state_dict[k], teacher.state_dict[k]) for k in teacher.state_dict)
    assert same.metadata["training"]["pseudo_labelling"]["kept"] == 0
    loose = pseudolabel(sar_sites, [tmp_path / "u"], tmp_path / "s1.pt", o, c=0.5,
                        teacher=tmp_path / "teacher.pt", log=lambda m: None)  # fmt: skip
    assert loose["pseudo_labelling"]["kept"] == 4  # every patch, at most |D_train| = 4
    student = load_checkpoint(tmp_path / "s1.pt").state_dict
    assert not all(torch.equal(student[k], teacher.state_dict[k]) for k in student)
    amplitude_only = Options(epochs=1, batch=4, tile=128, seed=2, coherence=False)
    with pytest.raises(MineCDError, match="teacher must be trained on the same labelled data"):
        pseudolabel(sar_sites, [tmp_path / "u"], tmp_path / "s2.pt", amplitude_only,
                    teacher=tmp_path / "teacher.pt", log=lambda m: None)  # fmt: skip


def test_model_info_reports_the_sar_unet_size(repo):
    proc = subprocess.run(
        [sys.executable, "-m", "engine", "model-info", "--arch", "sarunet", "--tile", "128"],
        capture_output=True,
        text=True,
        cwd=repo,
        check=True,
    )
    from engine.models.sar_unet import SarUNet

    info = json.loads(proc.stdout)
    model = SarUNet()
    assert info["arch"] == "sarunet"
    assert info["params"] == sum(p.numel() for p in model.parameters())
    assert info["macs"] > 0


def test_bench_slc_scenes_are_complex_with_a_coherence_drop_in_the_changes(tmp_path):
    from engine.lab.bench import write_bench_slc
    from engine.sar.coherence import coherence

    before, after = tmp_path / "b.tif", tmp_path / "a.tif"
    write_bench_slc(before, 1024, seed=7, change=False)
    write_bench_slc(after, 1024, seed=7, change=True)
    with rasterio.open(before) as b, rasterio.open(after) as a:
        assert b.dtypes[0] == a.dtypes[0] == "complex64"
        z1, z2 = b.read(1), a.read(1)
    gamma = coherence(z1, z2, np.ones(z1.shape, bool))
    assert np.median(gamma[300:600, 400:700]) < 0.3  # the block change (block 0 of the grid)
    assert abs(np.median(gamma[800:1000, 50:250]) - 0.8) < 0.05


def test_bench_times_the_sar_model_on_slc_pairs(tmp_path):
    from engine.lab.bench import bench

    out = tmp_path / "bench.json"
    result = bench([512], ["complex64"], "sarunet-demo", tmp_path / "data", out, log=lambda m: None)
    (row,) = result["rows"]
    assert row["size"] == 512 and row["dtype"] == "complex64" and row["mpix_per_s"] > 0
    assert row["peak_rss_mb"] > 0
    assert "complex64" in (tmp_path / "bench.md").read_text()
