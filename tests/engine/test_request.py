"""The detection request every front door builds: parsing, the detector rules, the summary line."""

from __future__ import annotations

import pytest

from engine.errors import MineCDError
from engine.request import DetectionRequest, parse_bands, summary_line


def _request(detector: str, **options) -> DetectionRequest:
    return DetectionRequest("a.tif", "b.tif", detector, "m.tif", **options)


@pytest.mark.parametrize(
    "text, bands", [("3,2,1", [3, 2, 1]), (" 3, 2 ,1, ", [3, 2, 1]), ("", None), (None, None), ("7", [7])]
)
def test_band_texts_are_parsed(text, bands):
    assert parse_bands(text) == bands


@pytest.mark.parametrize("text", ["x", "0,1", "3;2", "1,-2"])
def test_bad_band_texts_name_the_text(text):
    with pytest.raises(MineCDError, match="bands: '.*' is not a list of band numbers"):
        parse_bands(text)


def test_the_window_goes_to_the_log_ratio_only():
    assert _request("logratio", window="7").detector_options() == {"window": 7}
    assert _request("LogRatio", window="9x9").detector_options() == {"window": 9}
    assert _request("logratio", window="").detector_options() == {}
    assert _request("sarunet-demo", window="five").detector_options() == {}  # not its option
    with pytest.raises(MineCDError, match="log-ratio window: 'five' is not a number of pixels"):
        _request("logratio", window="five")


def test_coherence_goes_to_models_and_units_to_every_sar_detector():
    model = _request("sarunet-demo", coherence="coh.tif", units="db")
    assert model.extra_inputs() == {"coherence": "coh.tif"}
    assert model.detector_options() == {"units": "db"}
    logratio = _request("logratio", coherence="coh.tif", units="intensity", threshold_method="otsu")
    assert logratio.extra_inputs() is None
    assert logratio.detector_options() == {"units": "intensity", "method": "otsu"}
    assert _request("cva", units="db", threshold_method="ki").detector_options() == {"method": "ki"}
    with pytest.raises(MineCDError, match="unknown SAR units 'decibel'"):
        _request("logratio", units="decibel")


def test_arguments_are_those_of_detect_changes():
    import inspect

    from engine.detect import detect_changes

    arguments = _request(" cva ", bands=[1, 2], tile=0, batch=0).arguments()
    accepted = set(inspect.signature(detect_changes).parameters)
    assert set(arguments) <= accepted
    assert arguments["detector"] == "cva" and arguments["tile"] is None and arguments["batch"] is None


def test_the_summary_line():
    summary = {"changed_area_ha": 12.345, "changed_pixels": 9, "runtime_s": 3.21, "device": "cpu"}
    assert summary_line(summary) == "12.35 ha changed in 3.2 s on CPU"
    summary["changed_area_ha"] = None
    assert summary_line(summary, "{amount} / {seconds:.0f} s / {device}", "px") == "9 px / 3 s / CPU"


def test_the_request_knows_the_classic_detectors_the_engine_has():
    from engine.detectors import CLASSIC
    from engine.request import CLASSIC_DETECTORS, OPTICAL_CLASSIC

    assert set(CLASSIC_DETECTORS) == set(CLASSIC)
    assert {name for name in CLASSIC if CLASSIC[name].kind == "optical"} == set(OPTICAL_CLASSIC)
