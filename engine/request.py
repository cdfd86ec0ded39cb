"""One detection run as every front door describes it: the CLI, each Processing algorithm, the dock.

A front door fills a :class:`DetectionRequest` from its widgets or arguments (texts are parsed
here, with one message per mistake) and hands it to :func:`engine.detect.run_request`. The rules
that depend on the detector (which options the log-ratio takes, when a coherence raster is used)
and the one-line summary of a finished run live here too, so no front door repeats them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import MineCDError
from .sar.channels import check_units

CLASSIC_DETECTORS = ("cva", "irmad", "logratio")
OPTICAL_CLASSIC = ("cva", "irmad")  # no SAR units for these
SUMMARY_TEMPLATE = "{amount} changed in {seconds:.1f} s on {device}"


def parse_bands(text: str | None) -> list[int] | None:
    """``"3,2,1"`` -> [3, 2, 1]; empty -> None (the detector's default bands)."""
    text = (text or "").replace(" ", "").strip(",")
    if not text:
        return None
    try:
        bands = [int(v) for v in text.split(",") if v]
    except ValueError:
        bands = []
    if not bands or min(bands) < 1:
        raise MineCDError(f"bands: '{text}' is not a list of band numbers such as 3,2,1")
    return bands


def parse_logratio_window(text: str | int | None) -> int | None:
    """The log-ratio boxcar in pixels: ``"5"`` or ``"5x5"`` -> 5; empty -> None (the default)."""
    if text is None or str(text).strip() == "":
        return None
    try:
        return int(str(text).strip().lower().split("x")[0])
    except ValueError:
        raise MineCDError(f"log-ratio window: '{text}' is not a number of pixels") from None


@dataclass
class DetectionRequest:
    """Everything one detection run needs, in the engine's terms (paths, numbers, names)."""

    before: str
    after: str
    detector: str
    out: str
    prob_out: str | None = None
    polygons_out: str | None = None
    min_area_m2: float = 0.0
    bands: list[int] | None = None
    aoi: str | None = None  # polygon file, or "xmin,ymin,xmax,ymax [CRS]"
    device: str = "auto"
    tile: int | None = None
    batch: int | None = None
    threshold: float | None = None
    overlap: int | None = None  # None: the detector's (networks 48: seam-free blocks)
    runtime: str = "auto"  # networks: auto | openvino | onnxruntime | torch
    context: str = "shared"  # INSINet: shared | tile
    precision: str = "auto"  # OpenVINO: auto | f32 | bf16
    flips: str = "auto"  # networks: average over 4 flips: auto (the model's choice) | on | off
    coherence: str | None = None  # SAR models: a coherence raster made elsewhere
    window: int | str | None = None  # log-ratio boxcar (pixels, or its text); others ignore it
    units: str | None = None  # units of real SAR rasters
    threshold_method: str | None = None  # classic detectors: otsu | ki
    scheduler: str | None = None  # Dask: a scheduler address, or local:N; None: this process
    workers: int | None = None  # Dask: N local worker processes
    tiles_per_task: int | None = None  # Dask: tiles per task (default: about 8 MPix)
    work_dir: str | None = None  # Dask: where parts wait until the run succeeds (default: beside out)

    def __post_init__(self):
        check_units(self.units)
        # Only the log-ratio has a window: its text is checked for it, and ignored for the others.
        self.window = parse_logratio_window(self.window) if self.detector_key == "logratio" else None

    @property
    def detector_key(self) -> str:
        return str(self.detector).strip().lower()

    def detector_options(self) -> dict:
        """Options for the detector: the log-ratio's window, the classic threshold method, units."""
        key = self.detector_key
        options = {}
        if self.threshold_method and key in CLASSIC_DETECTORS:
            options["method"] = self.threshold_method
        if self.window is not None:
            options["window"] = self.window
        if self.units and key not in OPTICAL_CLASSIC:
            options["units"] = self.units
        return options

    def extra_inputs(self) -> dict | None:
        """A coherence raster goes to SAR models; the log-ratio uses amplitudes only."""
        if self.coherence and self.detector_key != "logratio":
            return {"coherence": self.coherence}
        return None

    def arguments(self) -> dict:
        """Keyword arguments of :func:`engine.detect.detect_changes`."""
        return {
            "before": self.before,
            "after": self.after,
            "detector": str(self.detector).strip(),
            "out": self.out,
            "prob_out": self.prob_out or None,
            "polygons_out": self.polygons_out or None,
            "min_area_m2": float(self.min_area_m2 or 0.0),
            "bands": self.bands,
            "aoi": self.aoi or None,
            "device": self.device or "auto",
            "tile": self.tile or None,
            "batch": self.batch or None,
            "threshold": self.threshold,
            "overlap": None if self.overlap is None or self.overlap == "" else int(self.overlap),
            "runtime": self.runtime or "auto",
            "context": self.context or "shared",
            "precision": self.precision or "auto",
            "flips": self.flips or "auto",
            "extra_inputs": self.extra_inputs(),
            "detector_options": self.detector_options(),
            "scheduler": (self.scheduler or "").strip() or None,
            "workers": self.workers or None,
            "tiles_per_task": self.tiles_per_task or None,
            "work_dir": self.work_dir or None,
        }


def changed_amount(summary: dict, pixels_word: str = "pixels") -> str:
    """``"12.34 ha"``, or a pixel count when the rasters have no metric pixel size."""
    area = summary.get("changed_area_ha")
    return f"{area:.2f} ha" if area is not None else f"{summary['changed_pixels']} {pixels_word}"


def summary_line(summary: dict, template: str = SUMMARY_TEMPLATE, pixels_word: str = "pixels") -> str:
    """The one line a front door shows after a run: "12.34 ha changed in 3.2 s on CPU".

    ``template`` and ``pixels_word`` let the plugin pass translated texts.
    """
    return template.format(
        amount=changed_amount(summary, pixels_word),
        seconds=float(summary["runtime_s"]),
        device=str(summary["device"]).upper(),
        percent=100 * float(summary.get("changed_fraction") or 0.0),
    )
