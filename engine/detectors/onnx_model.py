"""ONNX files as detectors: MineCD's own exports, and third-party two-input models with a sidecar.

Run by OpenVINO or ONNX Runtime (no PyTorch needed); see ``engine/onnx_models.py`` for the files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import archs
from ..checkpoint import validate_metadata
from ..errors import MineCDError
from ..normalise import NEUTRAL
from ..onnx_models import read_onnx, to_probability
from ..tiling import Batch
from .base import Detector
from .model import DEFAULT_OVERLAP, ModelDetector, use_flips


def _session(path: Path, runtime: str, precision: str):
    from .. import onnx_runner

    wanted = onnx_runner.BACKENDS if runtime in ("auto", "torch") else (runtime,)
    for backend in wanted:
        if onnx_runner.installed(backend):
            try:
                return onnx_runner.SESSIONS[backend](path, precision)
            except Exception as exc:  # the runtime's own parser refused the graph
                raise MineCDError(
                    f"{path}: {backend} cannot load this model ({str(exc).splitlines()[0][:160]})"
                ) from None
    raise MineCDError(
        f"{path}: running an ONNX model needs OpenVINO or ONNX Runtime (pip install onnxruntime)"
    )


class OnnxModelDetector(ModelDetector):
    """An ONNX file exported by MineCD: the checkpoint's metadata is inside, preparation is MineCD's."""

    def __init__(
        self,
        path,
        device="auto",
        log=None,
        units=None,
        runtime="auto",
        context="shared",
        precision="auto",
        flips="auto",
    ):
        info, _ = read_onnx(path)
        self.path = Path(path)
        self.setup(validate_metadata(info["checkpoint"], str(path), archs.ARCHS), units)
        self.context_scheme = info["context_scheme"]
        self.input_names = tuple(info["inputs"])
        self.model = None
        self._device = "cpu"
        self.runtime, self.precision = runtime, precision
        self.flips = use_flips(self.meta, flips)
        self.log = log or (lambda message: None)

    def _runner(self, inputs: dict[str, np.ndarray]):
        session = _session(self.path, self.runtime, self.precision)
        self.runner_name = f"{session.name} {session.precision}"
        names = self.input_names
        return lambda prepared: session.run({n: np.ascontiguousarray(prepared[n], np.float32) for n in names})


class ThirdPartyOnnxDetector(Detector):
    """A two-input optical change model from elsewhere (Open-CD, TorchGeo…), described by its sidecar."""

    kind = "optical"
    fully_convolutional = True
    blends = True
    tile_multiple = 1
    halo_multiple = 1

    def __init__(self, path, device="auto", log=None, runtime="auto", precision="auto", **_):
        _, spec = read_onnx(path)
        self.path = Path(path)
        self.spec = spec
        self.name = spec.get("name") or self.path.stem
        self.probability_threshold = float(spec.get("threshold", 0.5))
        self.default_bands = list(spec["bands"])
        self.session = _session(self.path, runtime, precision)
        self.runner_name = f"{self.session.name} {self.session.precision}"
        self.input_size, self.batch_size = self._static_shape()
        self.tile = int(spec.get("tile") or self.input_size or 256)
        self.default_overlap = DEFAULT_OVERLAP if self.input_size is None else min(32, self.input_size // 8)

    def _static_shape(self) -> tuple[int | None, int | None]:
        """The model's fixed input size and batch size, when its graph fixes them."""
        shape, *_ = [self._input_shape(name) for name in self.spec["inputs"]]
        if shape is None or len(shape) != 4:
            raise MineCDError(
                f"{self.path}: input '{self.spec['inputs'][0]}' is not an (N, C, H, W) image input"
            )
        n, c, h, w = shape
        expected = len(self.spec["bands"]) * (2 if len(self.spec["inputs"]) == 1 else 1)
        if isinstance(c, int) and c != expected:
            raise MineCDError(f"{self.path}: its input takes {c} channels but the sidecar gives {expected}")
        size = h if isinstance(h, int) and h == w else None
        return size, n if isinstance(n, int) else None

    def _input_shape(self, name: str):
        session = self.session
        if hasattr(session, "session"):  # ONNX Runtime
            shapes = {i.name: i.shape for i in session.session.get_inputs()}
        else:  # OpenVINO
            shapes = {
                port.get_any_name(): [
                    d.get_length() if d.is_static else None for d in port.get_partial_shape()
                ]
                for port in session.model.inputs
            }
        if name not in shapes:
            raise MineCDError(f"{self.path}: the model has no input '{name}' (it has {', '.join(shapes)})")
        return [d if isinstance(d, int) else None for d in shapes[name]]

    @property
    def device(self) -> str:
        return "cpu"

    def band_count(self) -> dict[str, int | None]:
        return {"before": len(self.spec["bands"]), "after": len(self.spec["bands"])}

    def prepare(self, batch: Batch) -> dict[str, np.ndarray]:
        spec = self.spec
        mean = np.asarray(spec["mean"], np.float32).reshape(1, -1, 1, 1)
        std = np.asarray(spec["std"], np.float32).reshape(1, -1, 1, 1)
        valid = batch.valid[:, None]
        images = [
            np.where(valid, (batch.data[role] * spec["scale"] - mean) / std, NEUTRAL["zscore"]).astype(
                np.float32
            )
            for role in ("before", "after")
        ]
        if len(spec["inputs"]) == 1:
            return {spec["inputs"][0]: np.concatenate(images, axis=1)}
        return dict(zip(spec["inputs"], images))

    def infer(self, inputs: dict[str, np.ndarray]) -> np.ndarray:
        n = len(next(iter(inputs.values())))
        step = self.batch_size or n
        parts = [self.session.run({k: v[i : i + step] for k, v in inputs.items()}) for i in range(0, n, step)]
        return to_probability(np.concatenate(parts), self.spec["output"])

    def predict(self, batch: Batch) -> np.ndarray:
        return self.infer(self.prepare(batch))

    def describe(self) -> dict:
        return {"detector": self.name, "model": str(self.path), "arch": "onnx", "runtime": self.runner_name}
