"""Synthetic mine scenes: determinism, exact labels, controls, realism where it matters."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import rasterio
from rasterio.features import rasterize

from engine.detect import detect_changes
from engine.lab.synthetic import generate, generate_dataset
from engine.lab.synthetic import landcover as lc
from engine.lab.synthetic.generate import (
    PSEUDO_EARTHWORKS,
    PSEUDO_HUMIDITY,
    PSEUDO_NAMES,
    PSEUDO_RELIEF,
    PSEUDO_SEASONAL,
)
from engine.metrics import Confusion, evaluate_files
from engine.vector import read_polygons

FILES = ("before.tif", "after.tif", "labels.tif", "classes.tif", "pseudo.tif")


@pytest.fixture(scope="module")
def optical_scene(tmp_path_factory):
    out = tmp_path_factory.mktemp("optical")
    scene = generate("optical", out, size=768, seed=15)
    return out, scene


@pytest.fixture(scope="module")
def sar_scene(tmp_path_factory):
    out = tmp_path_factory.mktemp("sar")
    scene = generate("sar", out, size=512, seed=12, amplitude=True)
    return out, scene


def _read(path, band=1):
    with rasterio.open(path) as ds:
        return ds.read(band)


def test_same_seed_same_bytes(tmp_path):
    a = generate("optical", tmp_path / "a", size=384, seed=5)
    b = generate("optical", tmp_path / "b", size=384, seed=5)
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    a.pop("generation_s"), b.pop("generation_s")
    assert a == b
    assert read_polygons(tmp_path / "a" / "labels.gpkg") == read_polygons(tmp_path / "b" / "labels.gpkg")
    generate("optical", tmp_path / "c", size=384, seed=6)
    assert (tmp_path / "a" / "before.tif").read_bytes() != (tmp_path / "c" / "before.tif").read_bytes()


def test_outputs_are_georeferenced_four_band_pairs(optical_scene):
    out, scene = optical_scene
    with rasterio.open(out / "before.tif") as b, rasterio.open(out / "after.tif") as a:
        assert b.count == a.count == 4 and b.dtypes[0] == "uint8"
        assert b.crs.to_epsg() == 32650 and b.res == (1.0, 1.0)
        assert b.transform == a.transform and (b.width, b.height) == (768, 768)
        assert [c.name for c in b.colorinterp] == ["red", "green", "blue", "undefined"]
        assert b.descriptions == ("red", "green", "blue", "nir")
    assert set(scene["files"]) >= {"before.tif", "after.tif", "labels.tif", "labels.gpkg", "scene.json"}
    assert json.loads((out / "scene.json").read_text())["seed"] == 15


def test_label_mask_and_polygons_agree(optical_scene):
    out, scene = optical_scene
    labels = _read(out / "labels.tif")
    with rasterio.open(out / "labels.tif") as ds:
        burnt = rasterize(read_polygons(out / "labels.gpkg"), out_shape=labels.shape, transform=ds.transform)
    assert np.array_equal(burnt, labels)
    assert scene["change_fraction"] == pytest.approx(labels.mean(), abs=1e-5)
    assert {c["type"] for c in scene["changes"]} <= {
        "pit_expansion", "pit_deepening", "dump_growth", "new_pond", "stripping", "reclamation",
    }  # fmt: skip


@pytest.mark.parametrize("wanted", [(0.02, 0.04), (0.06, 0.10)])
def test_change_fraction_within_the_requested_range(tmp_path, wanted):
    scene = generate("optical", tmp_path, size=640, seed=21, change_fraction=wanted)
    assert wanted[0] <= scene["change_fraction"] <= wanted[1]


def test_mines_are_large_relative_to_a_tile(optical_scene):
    _, scene = optical_scene
    assert all(2 * m["pit_radius_m"] > 256 for m in scene["mines"])  # wider than a 256 px tile at 1 m


def test_pseudo_changes_differ_between_dates_while_labelled_0(optical_scene):
    out, _ = optical_scene
    labels, pseudo = _read(out / "labels.tif"), _read(out / "pseudo.tif")
    with rasterio.open(out / "before.tif") as b, rasterio.open(out / "after.tif") as a:
        diff = np.abs(a.read().astype(float) - b.read().astype(float)).mean(axis=0)
    seasonal = (pseudo & PSEUDO_SEASONAL) > 0
    relief = (pseudo & PSEUDO_RELIEF) > 0
    assert seasonal.mean() > 0.3 and relief.any()
    assert not (labels[seasonal | relief]).any()
    assert diff[seasonal].mean() > 8  # digital numbers: clearly different dates
    assert diff[relief].mean() > diff[seasonal].mean()  # shadows on benches change most
    classes = rasterio.open(out / "classes.tif").read()
    unchanged = labels == 0
    assert (classes[0][unchanged] == classes[1][unchanged]).mean() > 0.99  # same land cover


def test_pseudo_change_strength_controls_the_difference_between_dates(tmp_path):
    unchanged_diff = []
    for strength in (0.0, 1.0):
        folder = tmp_path / str(strength)
        generate("optical", folder, size=384, seed=5, pseudo_strength=strength)
        labels = _read(folder / "labels.tif")
        with rasterio.open(folder / "before.tif") as b, rasterio.open(folder / "after.tif") as a:
            diff = np.abs(a.read().astype(float) - b.read().astype(float)).mean(axis=0)
        unchanged_diff.append(diff[labels == 0].mean())
    # strength 0: independent sensor noise only (sigma ~2.3 DN per date, E|diff| ~2.6 DN) and light haze
    assert unchanged_diff[0] < 5
    assert unchanged_diff[1] > 3 * unchanged_diff[0]


def test_earthworks_outside_leases_look_like_stripping_but_are_labelled_0(tmp_path):
    plain = generate("optical", tmp_path / "plain", size=1024, seed=7001)
    works = generate("optical", tmp_path / "works", size=1024, seed=7001, earthworks=8)
    assert len(works["earthworks_outside_leases"]) >= 3 and not plain["earthworks_outside_leases"]
    for name in ("before.tif", "labels.tif"):  # same scene, same true change
        assert (tmp_path / "plain" / name).read_bytes() == (tmp_path / "works" / name).read_bytes(), name
    assert read_polygons(tmp_path / "plain" / "labels.gpkg") == read_polygons(
        tmp_path / "works" / "labels.gpkg"
    )
    flagged = (_read(tmp_path / "works" / "pseudo.tif") & PSEUDO_EARTHWORKS) > 0
    assert 0.005 < flagged.mean() < 0.1 and not _read(tmp_path / "works" / "labels.tif")[flagged].any()
    with (
        rasterio.open(tmp_path / "plain" / "after.tif") as a,
        rasterio.open(tmp_path / "works" / "after.tif") as b,
    ):
        differs = (a.read() != b.read()).any(axis=0)
        rows, cols = np.nonzero(flagged)
        x, y = b.xy(rows, cols)
    assert differs[flagged].mean() > 0.95 and not differs[~flagged].any()  # the after date changes there only
    after_classes = _read(tmp_path / "works" / "classes.tif", 2)
    assert (after_classes[flagged] == lc.STRIPPED).all()  # the same surface as mine stripping
    for mine in works["mines"]:  # and every one lies outside the mine leases
        assert (
            np.hypot(np.array(x) - mine["centre"][0], np.array(y) - mine["centre"][1]).min()
            > 2 * mine["pit_radius_m"]
        )


def test_sar_earthworks_lose_coherence_like_true_change(tmp_path):
    generate("sar", tmp_path, size=512, seed=7001, earthworks=3)
    flagged = (_read(tmp_path / "pseudo.tif") & PSEUDO_EARTHWORKS) > 0
    gamma, labels = _read(tmp_path / "gamma.tif"), _read(tmp_path / "labels.tif")
    assert flagged.any() and labels.any()
    assert gamma[flagged].max() < 0.2 and gamma[labels == 1].max() < 0.2
    assert np.median(gamma[~flagged & (labels == 0)]) > 0.3


def test_misregistration_shifts_the_after_image(tmp_path):
    generate("optical", tmp_path / "reg", size=384, seed=9)
    scene = generate("optical", tmp_path / "mis", size=384, seed=9, misregistration=3.0)
    dx, dy = scene["dates"][1]["shift"]
    assert 0 < np.hypot(dx, dy) <= 3.0 + 1e-9
    assert _read(tmp_path / "reg" / "before.tif").tolist() == _read(tmp_path / "mis" / "before.tif").tolist()
    assert _read(tmp_path / "reg" / "after.tif").tolist() != _read(tmp_path / "mis" / "after.tif").tolist()


def test_sar_fields_get_wetter_or_drier_between_dates_with_equal_odds(tmp_path):
    from engine.lab.synthetic.plan import plan_scene

    directions = [np.sign(plan_scene("sar", 64, seed).dates[1].humidity_db) for seed in range(200)]
    assert 80 <= directions.count(1.0) <= 120 and directions.count(-1.0) == 200 - directions.count(1.0)
    wetter, drier = (next(s for s in range(200) if directions[s] == d) for d in (1.0, -1.0))
    for seed in (wetter, drier):
        scene = generate("sar", tmp_path / str(seed), size=256, seed=seed, amplitude=True)
        humid = (_read(tmp_path / str(seed) / "pseudo.tif") & PSEUDO_HUMIDITY) > 0
        humid &= _read(tmp_path / str(seed) / "labels.tif") == 0
        ratio_db = 20 * np.log10(
            _read(tmp_path / str(seed) / "amplitude_after.tif")[humid]
            / _read(tmp_path / str(seed) / "amplitude_before.tif")[humid]
        )
        shift = np.median(ratio_db)
        assert humid.sum() > 1000
        assert np.sign(shift) == np.sign(scene["dates"][1]["humidity_db"])
        assert 0.5 < abs(shift) < 5


def test_cached_scenes_of_another_generator_version_are_stale(tmp_path):
    from engine.lab.synthetic import is_current

    generate("sar", tmp_path / "scene", size=128, seed=3)
    assert is_current(tmp_path / "scene", 128) and is_current(tmp_path / "scene")
    assert not is_current(tmp_path / "scene", 256) and not is_current(tmp_path / "missing")
    meta = json.loads((tmp_path / "scene" / "scene.json").read_text())
    del meta["generator_version"]  # a scene written before versions were recorded
    (tmp_path / "scene" / "scene.json").write_text(json.dumps(meta))
    assert not is_current(tmp_path / "scene", 128)


def _boxcar_coherence(z1, z2, size=5):
    from scipy.ndimage import uniform_filter

    cross = z1 * np.conj(z2)
    num = np.abs(uniform_filter(cross.real, size) + 1j * uniform_filter(cross.imag, size))
    den = np.sqrt(uniform_filter(np.abs(z1) ** 2, size) * uniform_filter(np.abs(z2) ** 2, size))
    return num / np.maximum(den, 1e-12)


def test_sar_pair_has_speckle_and_the_right_coherence(sar_scene):
    out, scene = sar_scene
    with rasterio.open(out / "before.tif") as ds:
        assert ds.dtypes[0] == "complex64" and ds.res == (5.0, 5.0)
        z1 = ds.read(1)
    z2 = _read(out / "after.tif")
    labels, classes, gamma = (
        _read(out / "labels.tif"),
        rasterio.open(out / "classes.tif").read(),
        _read(out / "gamma.tif"),
    )
    coherence = _boxcar_coherence(z1, z2)
    from scipy.ndimage import binary_erosion

    changed = binary_erosion(labels == 1, iterations=3)
    stable = np.isin(classes[0], (lc.ROCK, lc.BENCH, lc.BUILDING, lc.PLANT)) & (classes[0] == classes[1])
    stable = binary_erosion(stable & (labels == 0) & (gamma > 0.7), iterations=3)
    assert changed.sum() > 500 and stable.sum() > 500
    assert coherence[changed].mean() < 0.3
    assert coherence[stable].mean() > 0.6
    # Single-look speckle: amplitude of a homogeneous area is Rayleigh (coefficient of variation 0.52)
    forest = binary_erosion((classes[0] == lc.FOREST) & (labels == 0), iterations=3)
    amp = np.abs(z1[forest])
    assert 0.35 < amp.std() / amp.mean() < 0.75
    assert np.allclose(_read(out / "amplitude_before.tif"), np.abs(z1))


def _classic_metrics(folders, detector, **options):
    total, fp_rates = Confusion(), []
    for folder in folders:
        detect_changes(
            folder / "before.tif",
            folder / "after.tif",
            detector,
            folder / "pred.tif",
            detector_options=options,
        )
        m = evaluate_files(folder / "pred.tif", folder / "labels.tif", folder / "pseudo.tif", PSEUDO_NAMES)
        total += Confusion(m["tp"], m["fp"], m["fn"], m["tn"])
        fp_rates.append(m["false_positive_rate_in"])
    return total.metrics(), fp_rates


def test_classic_detectors_are_fooled_by_pseudo_changes_but_find_most_true_change(tmp_path):
    optical = [tmp_path / f"o{seed}" for seed in (11, 12)]
    for seed, folder in zip((11, 12), optical):
        generate("optical", folder, size=768, seed=seed)
    m, rates = _classic_metrics(optical, "cva")
    assert m["recall"] >= 0.6 and m["f1"] < 0.8
    assert all(r["illumination and shadows on relief"] > 0.1 for r in rates)

    sar = [tmp_path / f"s{seed}" for seed in (11, 12)]
    for seed, folder in zip((11, 12), sar):
        generate("sar", folder, size=512, seed=seed)
    m, rates = _classic_metrics(sar, "logratio", method="otsu")
    assert m["recall"] >= 0.6 and m["f1"] < 0.8
    assert all(r["moving equipment"] > 0.5 for r in rates)
    ki, _ = _classic_metrics(sar, "logratio")  # the default: fewer false alarms, lower recall
    assert ki["precision"] > m["precision"] and ki["recall"] < m["recall"]


def test_dataset_sites_are_independent(tmp_path):
    summary = generate_dataset("optical", tmp_path, sites=2, size=256, seed=4)
    assert [s["name"] for s in summary["sites"]] == ["site_01", "site_02"]
    assert summary["sites"][0]["seed"] != summary["sites"][1]["seed"]
    assert summary["sites"][0]["landcover_mix"] != summary["sites"][1]["landcover_mix"]
    for site in ("site_01", "site_02"):
        assert (tmp_path / site / "labels.gpkg").exists() and (tmp_path / site / "after.tif").exists()
    assert json.loads((tmp_path / "dataset.json").read_text())["kind"] == "optical"


def test_synth_commands(repo, tmp_path):
    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "engine", "synth", *args], capture_output=True, text=True, cwd=repo
        )

    proc = run("sar", "--size", "256", "--seed", "3", "--out", str(tmp_path / "s"), "--quicklook", "--quiet")
    assert proc.returncode == 0, proc.stderr
    with rasterio.open(tmp_path / "s" / "before.tif") as ds:
        assert ds.dtypes[0] == "complex64"
    assert (tmp_path / "s" / "quicklook.png").stat().st_size > 10_000
    proc = run(
        "dataset",
        "--kind",
        "optical",
        "--sites",
        "2",
        "--size",
        "256",
        "--seed",
        "1",
        "--out",
        str(tmp_path / "d"),
        "--quiet",
    )
    assert proc.returncode == 0 and (tmp_path / "d" / "site_02" / "labels.tif").exists()
    proc = run("quicklook", str(tmp_path / "d" / "site_01"), "--out", str(tmp_path / "q.png"))
    assert proc.returncode == 0 and (tmp_path / "q.png").exists()
    proc = run("optical", "--size", "256", "--out", str(tmp_path / "x"), "--change-fraction", "2")
    assert proc.returncode == 2 and proc.stderr.startswith("error:")
    proc = run("quicklook", str(tmp_path))
    assert proc.returncode == 2 and "not a synthetic scene folder" in proc.stderr
