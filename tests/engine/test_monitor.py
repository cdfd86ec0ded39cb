"""Mine monitoring: a synthetic series with licences, monitor's record, its bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import rasterio
from osgeo import ogr

from engine.errors import MineCDError
from engine.lab.synthetic.series import generate_series
from engine.monitor.run import monitor


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    """3 dates of 1024 px at 2 m: mine 1's licence hugs its pit, mine 3 has none."""
    root = tmp_path_factory.mktemp("series")
    generate_series(root, size=1024, dates=3, seed=3, pixel_size=2.0)
    return root


@pytest.fixture(scope="module")
def record(series, tmp_path_factory):
    out = tmp_path_factory.mktemp("monitor")
    images = sorted(str(p) for p in (series / "images").glob("*.tif"))
    return out, monitor(images, str(series / "licences.gpkg"), "insinet-demo", out, min_area_m2=200)


def _rows(path: Path, layer: str) -> list[dict]:
    source = ogr.Open(str(path))
    table = source.GetLayerByName(layer)
    return [{k: f.GetField(k) for k in f.keys()} for f in table]


def test_the_series_has_dated_images_licences_and_the_true_change_of_each_period(series):
    names = sorted(p.name for p in (series / "images").glob("*.tif"))
    assert names == ["2019-07-01.tif", "2020-07-01.tif", "2021-07-01.tif"]
    truth = _rows(series / "truth" / "changes.gpkg", "changes")
    assert {r["status"] for r in truth} == {"inside_licence", "outside_licence", "crosses_boundary"}
    assert {r["period"] for r in truth} == {1, 2}
    with rasterio.open(series / "images" / names[0]) as a, rasterio.open(series / "images" / names[1]) as b:
        assert a.count == 4 and not np.array_equal(a.read(1), b.read(1))
    assert len(_rows(series / "licences.gpkg", "licences")) == 2  # the third mine has none


def test_monitoring_flags_what_crosses_or_lies_outside_the_licences(series, record):
    out, result = record
    truth = _rows(series / "truth" / "changes.gpkg", "changes")
    crossing = {r["licence_id"] for r in truth if r["status"] == "crosses_boundary"}
    flagged = {row["licence_id"] for row in result["licences_table"] if "crosses_boundary" in row["flags"]}
    assert flagged == crossing  # and no licence whose changes stay inside
    for period in result["periods"]:
        true_ha = sum(r["area_m2"] for r in truth if r["period"] == period["period"]) / 1e4
        assert period["changed_ha"] == pytest.approx(true_ha, rel=0.15)
        outside_truth = [
            r for r in truth if r["period"] == period["period"] and r["status"] == "outside_licence"
        ]
        assert period["unlicensed_changes"] >= 1 and outside_truth
    changes = _rows(out / "monitor.gpkg", "changes")
    assert {"inside_licence", "outside_licence", "crosses_boundary"} <= {c["status"] for c in changes}
    assert all(
        c["licence_id"] == "" or c["licence_id"] is None for c in changes if c["status"] == "outside_licence"
    )
    assert all(0.5 <= c["mean_probability"] <= 1 for c in changes)
    periods = _rows(out / "monitor.gpkg", "periods")
    assert [p["period"] for p in periods] == [1, 2]
    assert result["monitoring_s"] < 0.1 * result["detection_s"] + 1.0


def test_the_change_date_raster_gives_each_pixel_its_first_period_of_change(series, record):
    out, _ = record
    with rasterio.open(out / "change_date.tif") as ds:
        date = ds.read(1)
    with (
        rasterio.open(series / "truth" / "period_1.tif") as p1,
        rasterio.open(series / "truth" / "period_2.tif") as p2,
    ):
        first, second = p1.read(1) == 1, (p2.read(1) == 1) & (p1.read(1) == 0)
    assert np.mean(date[first] == 1) > 0.8 and np.mean(date[second] == 2) > 0.8
    assert np.mean(date[~first & ~second] == 0) > 0.98


@pytest.fixture
def images(series, tmp_path):
    return sorted(str(p) for p in (series / "images").glob("*.tif"))


def test_bad_series_are_one_clear_error(series, images, tmp_path):
    licences = str(series / "licences.gpkg")
    cases = [
        (images[:1], {}, "at least 2 images"),
        ([images[1], images[0]], {}, "not in date order"),
        (images[:2], {"dates": ["2020-01-01", "2020-01-01"]}, "the same date"),
        (images[:2], {"dates": ["2020-01-01"]}, "one date per image"),
        (images[:2], {"licence_field": "permit"}, "no field 'permit'"),
    ]
    for given, options, message in cases:
        with pytest.raises(MineCDError, match=message):
            monitor(given, licences, "cva", tmp_path / "o", **options)
    undated = tmp_path / "scene.tif"
    shutil.copy(images[0], undated)
    with pytest.raises(MineCDError, match="no date"):
        monitor([str(undated), images[1]], licences, "cva", tmp_path / "o")


def _licence_file(path: Path, rings: list, crs_epsg: int = 32650) -> str:
    from osgeo import osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(crs_epsg)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = ds.CreateLayer("licences", srs, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("permit", ogr.OFTString))
    for i, ring in enumerate(rings):
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("permit", f"P-{i}")
        feature.SetGeometry(
            ogr.CreateGeometryFromJson(json.dumps({"type": "Polygon", "coordinates": [ring]}))
        )
        layer.CreateFeature(feature)
    ds = None
    return str(path)


def test_licences_far_away_are_refused_and_an_invalid_one_is_repaired(images, tmp_path):
    with rasterio.open(images[0]) as ds:
        x0, y0, x1, y1 = ds.bounds
    far = _licence_file(tmp_path / "far.gpkg", [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]])
    with pytest.raises(MineCDError, match="no licence overlaps the images"):
        monitor(images[:2], far, "cva", tmp_path / "o1")
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    bowtie = [
        [cx - 300, cy - 300],
        [cx + 300, cy + 300],
        [cx + 300, cy - 300],
        [cx - 300, cy + 300],
        [cx - 300, cy - 300],
    ]
    messages = []
    result = monitor(
        images[:2],
        _licence_file(tmp_path / "bow.gpkg", [bowtie]),
        "cva",
        tmp_path / "o2",
        licence_field="permit",
        log=messages.append,
    )
    assert any("repaired invalid licence polygon(s) P-0" in m for m in messages)
    assert result["licences_table"][0]["licence_id"] == "P-0"


def test_the_monitor_command_prints_each_period(series, images, tmp_path, capsys):
    from engine.cli import main

    code = main(
        [
            "monitor",
            "--images",
            *images,
            "--licences",
            str(series / "licences.gpkg"),
            "--detector",
            "cva",
            "--out",
            str(tmp_path / "m"),
            "--min-area",
            "500",
            "--quiet",
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0 and "period 1 2019-07-01 -> 2020-07-01" in printed and "licences flagged" in printed
    assert (tmp_path / "m" / "monitor.gpkg").exists() and (tmp_path / "m" / "change_date.tif").exists()


def test_the_report_renders_in_a_browser_with_every_image(record, tmp_path):
    """report.html opened by headless Chromium: every picture loads (skipped without Chromium)."""
    import re
    import subprocess

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Chromium is not installed (make setup installs it where it can)")
    out, result = record
    page = (out / "report.html").read_text(encoding="utf-8")
    sources = re.findall(r'<img src="([^"]+)"', page)
    assert len(sources) == len(result["periods"]) + 1  # a map per period, the change dates
    assert page.count("<svg") == 1 and page.count("<rect") == 2 * len(result["periods"]) + 2  # area chart
    probe = out / "probe.html"  # beside the report: the same relative paths
    images = "".join(f'<img src="{s}">' for s in sources)
    script = (
        "window.onload=function(){var w=[];for(var i of document.images){w.push(i.naturalWidth)}"
        "document.body.setAttribute('data-widths',w.join(','))}"
    )
    probe.write_text(f"<html><body>{images}<script>{script}</script></body></html>", encoding="utf-8")
    browser = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = subprocess.run(
        [*browser, "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    widths = [int(w) for w in re.search(r'data-widths="([\d,]*)"', dom).group(1).split(",")]
    assert len(widths) == len(sources) and min(widths) > 100
    shot = tmp_path / "report.png"
    subprocess.run(
        [
            *browser,
            "--hide-scrollbars",
            f"--screenshot={shot}",
            "--window-size=1200,1600",
            (out / "report.html").as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    with rasterio.open(shot) as png:
        pixels = png.read()
    assert pixels.std() > 20  # not a blank page


def test_licences_in_another_crs_give_the_same_record(series, record, tmp_path):
    """Licences in WGS 84 are reprojected onto the images' grid: the same flags and areas."""
    from osgeo import gdal

    _, result = record
    wgs84 = tmp_path / "licences_wgs84.gpkg"
    gdal.VectorTranslate(str(wgs84), str(series / "licences.gpkg"), dstSRS="EPSG:4326", format="GPKG")
    images = sorted(str(p) for p in (series / "images").glob("*.tif"))
    again = monitor(images, str(wgs84), "insinet-demo", tmp_path / "o", min_area_m2=200)
    assert [r["flags"] for r in again["licences_table"]] == [r["flags"] for r in result["licences_table"]]
    for a, b in zip(again["licences_table"], result["licences_table"]):
        assert a["total_inside_ha"] == pytest.approx(b["total_inside_ha"], rel=0.02, abs=0.01)


def test_the_whole_span_is_an_extra_period_that_leaves_the_periods_alone(series, record, tmp_path):
    _, result = record
    images = sorted(str(p) for p in (series / "images").glob("*.tif"))
    span = monitor(
        images,
        str(series / "licences.gpkg"),
        "insinet-demo",
        tmp_path / "s",
        min_area_m2=200,
        first_last=True,
    )
    assert span["periods"] == result["periods"] and span["change_date"] == result["change_date"]
    whole = span["span"]
    assert (whole["date_from"], whole["date_to"]) == ("2019-07-01", "2021-07-01")
    assert whole["changed_ha"] == pytest.approx(sum(p["changed_ha"] for p in result["periods"]), rel=0.15)
    row = span["licences_table"][0]
    assert (
        "span_inside_ha" in row and row["total_inside_ha"] == result["licences_table"][0]["total_inside_ha"]
    )
    changes = _rows(tmp_path / "s" / "monitor.gpkg", "changes")
    assert {c["period"] for c in changes} == {0, 1, 2}
    assert "first → last" in (tmp_path / "s" / "report.html").read_text(encoding="utf-8")


def test_a_sar_series_is_monitored_too(tmp_path):
    """Complex SLC images and the log-ratio: the same record."""
    from engine.lab.synthetic import generate

    generate("sar", tmp_path / "sar", size=512, seed=21)
    images = []
    for name, date in (("before", "2020-01-15"), ("after", "2021-01-15")):
        images.append(str(tmp_path / f"{date}.tif"))
        shutil.copy(tmp_path / "sar" / f"{name}.tif", images[-1])
    with rasterio.open(images[0]) as ds:
        x0, y0, x1, y1 = ds.bounds
    ring = [[x0, y0], [(x0 + x1) / 2, y0], [(x0 + x1) / 2, y1], [x0, y1], [x0, y0]]
    result = monitor(
        images, _licence_file(tmp_path / "lic.gpkg", [ring]), "logratio", tmp_path / "o", min_area_m2=500
    )
    assert len(result["periods"]) == 1 and result["periods"][0]["changed_ha"] > 0
    assert (tmp_path / "o" / "report.html").exists()


def test_dates_come_from_metadata_and_images_of_other_places_are_refused(series, images, tmp_path):
    from engine.monitor.inputs import series as dated

    copies = []
    for i, (path, stamp) in enumerate(zip(images[:2], ("2020:06:30 10:00:00", "2021:06:30 10:00:00"))):
        copies.append(tmp_path / f"scene_{'ab'[i]}.tif")
        shutil.copy(path, copies[-1])
        with rasterio.open(copies[-1], "r+") as ds:
            ds.update_tags(TIFFTAG_DATETIME=stamp)
    assert [str(i.date) for i in dated([str(p) for p in copies])] == ["2020-06-30", "2021-06-30"]
    elsewhere = tmp_path / "2022-07-01.tif"
    with rasterio.open(images[0]) as src:
        profile = src.profile
        profile["transform"] = src.transform * src.transform.translation(100_000, 0)
        with rasterio.open(elsewhere, "w", **profile) as dst:
            dst.write(src.read())
    with pytest.raises(MineCDError, match="overlap"):
        monitor([images[0], str(elsewhere)], str(series / "licences.gpkg"), "cva", tmp_path / "o")
