"""Headless qgis_process.bin with the plugin enabled by .ci/qgis-process."""

from __future__ import annotations


def test_provider_is_listed(qgis_process):
    listing = qgis_process(["list"], json_out=True).json
    assert "minecd" in listing["providers"]
    algorithms = listing["providers"]["minecd"]["algorithms"]
    assert "minecd:environment" in algorithms


def test_environment_algorithm_runs(qgis_process):
    result = qgis_process(["run", "minecd:environment"], json_out=True).json["results"]
    assert result["READY"] in (True, "true")
    assert result["TORCH_VERSION"].startswith("2.")
    assert result["MINECD_VERSION"] == __import__("engine").__version__


def test_plugin_loads_without_torch(qgis_process):
    # Debian's Python alone has no torch: the provider must still load and say what is missing.
    listing = qgis_process(["list"], json_out=True, MINECD_NO_VENV="1").json
    assert "minecd" in listing["providers"]
    result = qgis_process(["run", "minecd:environment"], json_out=True, MINECD_NO_VENV="1").json["results"]
    assert result["READY"] in (False, "false")
    assert "torch" in result["MISSING"]


def test_a_qgis_set_to_chinese_in_its_own_options_lists_minecd_in_chinese(qgis_process):
    chinese = qgis_process(["list"], MINECD_QGIS_LOCALE="zh-Hans").stdout  # what QGIS's Options store
    assert "minecd:detectoptical\t变化检测（光学）" in chinese
    assert "由两景 SLC 影像生成 SAR 变化多边形" in chinese  # the shipped graphical model too
    english = qgis_process(["list"]).stdout
    assert "minecd:detectoptical\tDetect changes (optical)" in english
