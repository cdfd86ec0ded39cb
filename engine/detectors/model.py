"""A trained network (checkpoint file) as a detector in the inference driver."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import archs
from ..checkpoint import load_checkpoint
from ..progress import Progress
from ..raster import InputStack
from ..tiling import TileGrid
from ..torch_runner import TorchRunner
from .base import Batch, Detector


class ModelDetector(Detector):
    def __init__(self, path: str | Path, device: str = "auto", log=None, units: str | None = None):
        checkpoint = load_checkpoint(path, archs.ARCHS)
        self.path = Path(path)
        self.meta = checkpoint.metadata
        self.name = self.meta.get("name") or self.path.stem
        self.kind = self.meta["kind"]
        self.needs_context = self.meta["context"]
        self.tile = self.meta["tile"]
        self.probability_threshold = float(self.meta.get("threshold", 0.5))
        self.adapter = archs.get(self.meta["arch"])
        self.model = archs.build_model(checkpoint)
        self.runner = TorchRunner(self.model, self._probability, device, log)
        self.notes: list[str] = []
        self.config = None  # what the adapter learnt about the inputs in check()
        if units:  # SAR: the units of real rasters given at inference
            self.meta = {**self.meta, "inputs": {**self.meta["inputs"], "units": units}}

    def _probability(self, tensors: dict):
        return self.adapter.probability(self.adapter.forward(self.model, tensors))

    @property
    def device(self) -> str:
        return self.runner.device

    def band_count(self) -> dict[str, int | None]:
        return self.adapter.band_count(self.meta)

    @property
    def halo(self) -> int:
        return self.adapter.halo(self.meta, self.config) if self.config is not None else 0

    def check(self, stack: InputStack) -> None:
        self.config = self.adapter.configure(self.meta, stack)
        trained = self.meta.get("pixel_size_m")
        area = stack.grid.pixel_area_m2()
        if trained and area:
            size = area**0.5
            if not 0.5 <= size / trained <= 2.0:
                self.notes.append(
                    f"the rasters have {size:.2f} m pixels but {self.name} was trained at {trained:g} m: "
                    "results may be poor; resample the rasters or train on similar data"
                )

    def fit(self, stack: InputStack, grid: TileGrid, progress: Progress) -> None:
        for note in self.notes:
            progress.info(note)
        self.adapter.fit(self.meta, self.config, stack, grid, progress)

    def predict(self, batch: Batch) -> np.ndarray:
        return self.runner(self.adapter.prepare(self.meta, batch, self.config))

    def describe(self) -> dict:
        return {
            "detector": self.name,
            "checkpoint": str(self.path),
            "arch": self.meta["arch"],
            "variant": self.meta["model_args"].get("variant"),
            "trained_pixel_size_m": self.meta.get("pixel_size_m"),
        }
