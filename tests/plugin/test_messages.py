"""Engine messages as the dock and Processing show them: their fields' names, not CLI flags."""

from __future__ import annotations


def test_engine_errors_name_the_fields_of_the_gui_not_cli_flags(minecd):
    from minecd.engine.errors import MineCDError
    from minecd.plugin.errors import engine_error_message

    cases = {
        "choose the same bands for both (e.g. --bands 3,2,1)": "(e.g. Bands 3,2,1)",
        "needs a coherence raster (COHERENCE / --coherence)": "(the Coherence layer)",
        "--init x.pt: a sar sarunet model cannot start a insinet training (or --init none)": (
            "Start from x.pt: a sar sarunet model cannot start a insinet training (or start from scratch)"
        ),
    }
    for engine_text, shown in cases.items():
        message = engine_error_message(MineCDError(engine_text))
        assert shown in message and "--" not in message
