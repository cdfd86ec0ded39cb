"""A trained network (checkpoint file) as a detector in the inference driver."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .. import archs
from ..checkpoint import load_checkpoint, validate_metadata
from ..errors import MineCDError
from ..onnx_runner import PRECISIONS
from ..progress import Progress
from ..raster import InputStack
from ..tiling import TileGrid
from ..torch_runner import TorchRunner, resolve_device
from .base import Batch, Detector
from .cue import CUE_KEY, ClassicCue

RUNTIMES = ("auto", "openvino", "onnxruntime", "torch")
CONTEXT_SCHEMES = ("shared", "tile")
DEFAULT_OVERLAP = 48  # pixels read around each block so that blocks join without seams
SHARED_CONTEXT_MARGIN = 96  # pixels of the ×3-downsampled scene around a block (288 px of the scene)

FLIP_CHOICES = ("auto", "on", "off")
FLIPS = ((), (-1,), (-2,), (-2, -1))  # identity, left-right, up-down, both: shapes unchanged


def use_flips(meta: dict, flips: str) -> bool:
    """on / off, or auto: what the model's metadata asks for (``inference.flips``; else off)."""
    if flips not in FLIP_CHOICES:
        raise MineCDError(f"flips '{flips}': use {', '.join(FLIP_CHOICES)}")
    return bool(meta.get("inference", {}).get("flips", False)) if flips == "auto" else flips == "on"


def flip_average(run, inputs: dict[str, np.ndarray]) -> np.ndarray:
    """Mean probability over the inputs and their flips, each flipped back (test-time augmentation).

    Every input (centre and neighbourhood images) is flipped about its centre, so the context
    stays aligned with the block; flips keep the block's shape (compiled static shapes reused).
    """
    total = None
    for axes in FLIPS:
        if not axes:
            p = run(inputs)
        else:
            p = np.flip(run({k: np.ascontiguousarray(np.flip(v, axes)) for k, v in inputs.items()}), axes)
        total = p.astype(np.float32) if total is None else total + p
    return total / len(FLIPS)


class ModelDetector(Detector):
    """``runtime``: auto (on the CPU OpenVINO, else ONNX Runtime, when installed; else and on GPUs
    PyTorch), openvino, onnxruntime or torch. ``precision``: auto (bfloat16 where OpenVINO finds
    the CPU supports it), f32 or bf16. ``flips``: average the probability over the input and its
    three flips (4 passes: steadier on unseen scenes, 4x slower): auto (the model's own choice,
    stored in its checkpoint; off unless it says so), on or off.
    ``context``: INSINet's neighbourhood — "shared" (one encoding of the ×3-downsampled scene
    serves every tile of a block: blocks of any size, seam-free with an overlap) or "tile" (the
    paper's per-tile 3×3 window, at the trained tile size)."""

    def __init__(
        self,
        path: str | Path,
        device: str = "auto",
        log=None,
        units: str | None = None,
        runtime: str = "auto",
        context: str = "shared",
        precision: str = "auto",
        flips: str = "auto",
    ):
        if runtime not in RUNTIMES:
            raise MineCDError(f"runtime '{runtime}': use {', '.join(RUNTIMES)}")
        if precision not in PRECISIONS:
            raise MineCDError(f"precision '{precision}': use {', '.join(PRECISIONS)}")
        if context not in CONTEXT_SCHEMES:
            raise MineCDError(f"context '{context}': use {', '.join(CONTEXT_SCHEMES)}")
        self.path = Path(path)
        self._model = None
        self.setup(self._metadata(), units)
        self.context_scheme = context if self.needs_context else None
        self._device = resolve_device(device)
        self.runtime = runtime
        self.precision = precision
        self.flips = use_flips(self.meta, flips)
        self.log = log or (lambda message: None)

    def _metadata(self) -> dict:
        """The checkpoint's metadata; kept beside its ONNX exports, so that a later run whose
        export is cached starts without importing PyTorch (a second and more)."""
        import json

        from ..bundled import sha256
        from ..onnx_runner import cache_dir

        if not self.path.is_file():
            load_checkpoint(self.path, archs.ARCHS)  # its own message
        self.sha256 = sha256(self.path)
        cached = cache_dir() / f"{self.sha256}.json"
        try:
            return validate_metadata(
                json.loads(cached.read_text(encoding="utf-8")), str(self.path), archs.ARCHS
            )
        except (OSError, ValueError, MineCDError):
            pass
        checkpoint = load_checkpoint(self.path, archs.ARCHS)
        self._model = archs.build_model(checkpoint).eval()
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}.partial")
            partial.write_text(json.dumps(checkpoint.metadata), encoding="utf-8")
            partial.replace(cached)
        except OSError:
            pass  # a read-only cache only costs the faster start
        return checkpoint.metadata

    @property
    def model(self):
        """The PyTorch network, loaded when first needed (an export, or the PyTorch runner)."""
        if self._model is None:
            self._model = archs.build_model(load_checkpoint(self.path, archs.ARCHS)).eval()
        return self._model

    @model.setter
    def model(self, value) -> None:
        self._model = value

    def setup(self, meta: dict, units: str | None) -> None:
        """What the metadata says (a checkpoint's, or an ONNX export's)."""
        self.meta = meta
        self.name = meta.get("name") or self.path.stem
        self.kind = meta["kind"]
        self.needs_context = meta["context"]
        self.tile = meta["tile"]
        self.probability_threshold = float(meta.get("threshold", 0.5))
        self.adapter = archs.get(meta["arch"])
        self.runner = None
        self.runner_name = None
        self.notes: list[str] = []
        self.config = None  # what the adapter learnt about the inputs in check()
        self.cue = ClassicCue(meta, meta["fusion"]) if meta.get("fusion") else None
        if units:  # SAR: the units of real rasters given at inference
            self.meta = {**meta, "inputs": {**meta["inputs"], "units": units}}

    @property
    def device(self) -> str:
        return getattr(self.runner, "device", self._device)

    @property
    def context_margin(self) -> int | None:
        return SHARED_CONTEXT_MARGIN if self.context_scheme == "shared" else None

    @property
    def fully_convolutional(self) -> bool:
        """Runs on blocks of any size (no per-tile neighbourhood window)."""
        return self.context_scheme != "tile"

    @property
    def blends(self) -> bool:
        return self.fully_convolutional

    @property
    def tile_multiple(self) -> int:
        """Block sizes the network takes: ×16 (four ×2 downsamplings); ×48 with shared context
        (the ×3-downsampled neighbourhood must downsample ×16 too)."""
        return 48 if self.context_margin is not None else 16

    @property
    def halo_multiple(self) -> int:
        return 24 if self.context_margin is not None else 8

    @property
    def default_overlap(self) -> int:
        return DEFAULT_OVERLAP if self.fully_convolutional else 0

    def band_count(self) -> dict[str, int | None]:
        return self.adapter.band_count(self.meta)

    @property
    def halo(self) -> int:
        return self.adapter.halo(self.meta, self.config) if self.config is not None else 0

    def check(self, stack: InputStack) -> None:
        self.config = self.adapter.configure(self.meta, stack)
        if self.context_margin is not None:
            self.config["context_margin"] = self.context_margin
        if self.cue is not None:
            self.cue.detector.check(stack)
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
        if self.cue is not None:
            self.cue.fit(stack, progress)

    def scene_state(self) -> dict:
        state = {key: self.config[key] for key in self.adapter.fitted_keys if key in (self.config or {})}
        if self.cue is not None:
            state[CUE_KEY] = self.cue.detector.scene_state()
        return state

    def restore_scene_state(self, state: dict) -> None:
        state = dict(state)
        if CUE_KEY in state:
            self.cue.detector.restore_scene_state(state.pop(CUE_KEY))
        self.config.update(state)

    def _backend(self) -> str | None:
        """The ONNX backend this run uses, None for PyTorch."""
        from .. import onnx_runner

        if self.runtime == "torch" or (self.runtime == "auto" and self._device != "cpu"):
            return None
        wanted = onnx_runner.BACKENDS if self.runtime == "auto" else (self.runtime,)
        for backend in wanted:
            if onnx_runner.installed(backend):
                return backend
        if self.runtime != "auto":
            raise MineCDError(f"runtime '{self.runtime}' is not installed (pip install {self.runtime})")
        return None

    def _runner(self, inputs: dict[str, np.ndarray]):
        from .. import onnx_runner

        names = tuple(inputs)
        backend = self._backend()
        if backend:
            key = [self.sha256, repr(self.adapter.inference_options(self.meta, self.config))]

            def module():
                return self.adapter.inference_module(self.model, self.meta, self.config, names)

            runner = onnx_runner.OnnxRunner(module, repr(key), backend, self.precision)
            try:
                runner.start(inputs)  # export (once per checkpoint), check against PyTorch, load
                self.runner_name = runner.name
                return runner
            except Exception as exc:  # an export or graph problem: PyTorch still works
                if self.runtime != "auto":
                    raise MineCDError(f"{self.name}: cannot run with {backend} ({exc})") from exc
                self.log(f"{backend} cannot run {self.name} ({exc}): running with PyTorch")
        self.runner_name = "torch"
        network = self.adapter.inference_module(self.model, self.meta, self.config, names)
        forward = lambda tensors: network(*(tensors[n] for n in names))  # noqa: E731
        return TorchRunner(network, forward, self._device, self.log)

    def prepare(self, batch: Batch) -> dict[str, np.ndarray]:
        cue = self.cue.score(batch) if self.cue is not None else None  # (preparing may reuse the data)
        inputs = self.adapter.prepare(self.meta, batch, self.config)
        return inputs if cue is None else {**inputs, CUE_KEY: cue}

    def infer(self, inputs: dict[str, np.ndarray]) -> np.ndarray:
        inputs = dict(inputs)
        cue = inputs.pop(CUE_KEY, None)
        if self.runner is None:
            self.runner = self._runner(inputs)
        prob = self.runner(inputs) if not self.flips else flip_average(self.runner, inputs)
        return prob if cue is None else self.cue.blend(prob, cue)

    def predict(self, batch: Batch) -> np.ndarray:
        return self.infer(self.prepare(batch))

    def describe(self) -> dict:
        return {
            "detector": self.name,
            "checkpoint": str(self.path),
            "arch": self.meta["arch"],
            "variant": self.meta["model_args"].get("variant"),
            "trained_pixel_size_m": self.meta.get("pixel_size_m"),
            "runtime": self.runner_name,
            "context_scheme": self.context_scheme,
            "flips": self.flips,
            "classic_cue": self.cue.name if self.cue is not None else None,
        }
