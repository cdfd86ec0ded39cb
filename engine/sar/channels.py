"""From SAR rasters to the U-Net's channels: amplitude before and after in dB, and coherence.

Three input situations, chosen from the data (overridable):

* ``slc``: two complex SLC rasters. Intensities are averaged over the coherence window
  (multilooking, the same looks as the coherence) and the coherence is computed here.
* ``amplitude+coherence``: two real rasters plus a coherence raster made elsewhere (SNAP, ISCE,
  GAMMA); used as given.
* ``amplitude``: two real rasters alone (a model trained without coherence).

Real rasters are linear **amplitude** by default; ``units="intensity"`` (σ⁰ linear) and
``units="db"`` (10·log10 of intensity, e.g. SNAP's Sigma0_dB) are converted. Channels are
10·log10(intensity) for both dates (floored at −50 dB) and coherence in [0, 1].
"""

from __future__ import annotations

import numpy as np

from ..errors import MineCDError
from .coherence import DEFAULT_WINDOW, coherence, looks_and_coherence, masked_boxcar

MODES = ("slc", "amplitude+coherence", "amplitude")
UNITS = ("amplitude", "intensity", "db")
DB_FLOOR = -50.0


def detect_mode(stack) -> str:
    complex_inputs = [stack.source(r).is_complex for r in ("before", "after")]
    if all(complex_inputs):
        return "slc"
    if any(complex_inputs):
        raise MineCDError(
            f"{stack.source('after').path}: mix of complex and real rasters; give two SLCs or two amplitudes"
        )
    return "amplitude+coherence" if "coherence" in stack.sources else "amplitude"


def check_units(units: str | None) -> str | None:
    """``units`` if MineCD knows them (None passes: the default applies)."""
    if units is not None and units not in UNITS:
        raise MineCDError(f"unknown SAR units '{units}': use {', '.join(UNITS)}")
    return units


def to_intensity(x: np.ndarray, units: str) -> np.ndarray:
    if units == "amplitude":
        return x.astype(np.float32) ** 2
    if units == "intensity":
        return x.astype(np.float32)
    if check_units(units) == "db":
        return (10.0 ** (x.astype(np.float32) / 10.0)).astype(np.float32)
    raise MineCDError(f"unknown SAR units '{units}'")


def to_db(intensity: np.ndarray) -> np.ndarray:
    return np.maximum(10.0 * np.log10(np.maximum(intensity, 1e-12)), DB_FLOOR).astype(np.float32)


class SarChannels:
    """Computes the channels of one tile (or a batch) for a given input mode."""

    def __init__(
        self,
        mode: str,
        use_coherence: bool = True,
        window=DEFAULT_WINDOW,
        units: str = "amplitude",
        given_coherence: bool = False,
    ):
        if mode not in MODES:
            raise MineCDError(f"unknown SAR input mode '{mode}': use {', '.join(MODES)}")
        check_units(units)
        if mode == "amplitude" and use_coherence:
            raise MineCDError("this model needs coherence: give an SLC pair or a coherence raster")
        self.mode = mode
        self.use_coherence = use_coherence
        self.window = tuple(window)
        self.units = units
        # SLC input with a coherence raster given anyway: use it rather than recomputing it
        self.given_coherence = given_coherence or mode == "amplitude+coherence"

    @property
    def names(self) -> list[str]:
        return ["amplitude_before_db", "amplitude_after_db"] + (["coherence"] if self.use_coherence else [])

    @property
    def halo(self) -> int:
        """Pixels around a tile needed by the boxcar (SLC input only)."""
        return max(self.window) // 2 if self.mode == "slc" else 0

    def compute(self, data: dict[str, np.ndarray], valid: np.ndarray, ramp=None) -> np.ndarray:
        """(…, 1, H, W) inputs per role -> (…, K, H, W) float32 channels (dB, dB[, coherence])."""
        before, after = data["before"][..., 0, :, :], data["after"][..., 0, :, :]
        gamma = None
        if self.mode == "slc" and self.use_coherence and not self.given_coherence:
            *looks, gamma = looks_and_coherence(before, after, valid, self.window, ramp)  # shared sums
        elif self.mode == "slc":
            looks = [masked_boxcar(np.abs(z) ** 2, valid, self.window) for z in (before, after)]
        else:
            looks = [to_intensity(x, self.units) for x in (before, after)]
        channels = [to_db(i) for i in looks]
        if self.use_coherence:
            if self.given_coherence:
                gamma = data["coherence"][..., 0, :, :].astype(np.float32)
            elif gamma is None:
                gamma = coherence(before, after, valid, self.window, ramp)
            channels.append(np.clip(np.nan_to_num(gamma, nan=0.0), 0.0, 1.0))
        return np.stack(channels, axis=-3).astype(np.float32)
