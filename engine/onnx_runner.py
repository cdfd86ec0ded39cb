"""Running a network on the CPU through its ONNX export: OpenVINO or ONNX Runtime.

The network's inference module (``Architecture.inference_module``) is exported once per checkpoint
and input layout to ONNX with dynamic batch and spatial sizes, cached under ``$MINECD_CACHE``
(default ``~/.cache/minecd``); a new export is kept only if it matches PyTorch on its first input.
Measured on the 2-core development machine (INSINet blocks, see resources/docs/performance.md):
OpenVINO in bfloat16 (on CPUs with AVX-512 BF16 or AMX) is the fastest, ONNX Runtime and OpenVINO
in float32 about 2.5x PyTorch eager. PyTorch stays the fallback and the trainer.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .environment import cpu_threads

EXPORT_VERSION = 1  # bump when the exported graphs change
TOLERANCE = 1e-4  # largest |ONNX − PyTorch| probability accepted for a new export
BACKENDS = ("openvino", "onnxruntime")
PRECISIONS = ("auto", "f32", "bf16")


def installed(backend: str) -> bool:
    try:
        __import__("openvino" if backend == "openvino" else "onnxruntime")
    except ImportError:
        return False
    return True


def cache_dir() -> Path:
    root = (
        os.environ.get("MINECD_CACHE")
        or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "minecd"
    )
    return Path(root) / "onnx"


def export(module, names: tuple[str, ...], example: dict[str, np.ndarray], path: Path) -> Path:
    """Export ``module`` (positional inputs ``names``) with dynamic N, H, W; written atomically."""
    import warnings

    import torch

    inputs = tuple(torch.from_numpy(np.ascontiguousarray(example[n])) for n in names)
    axes = {n: {0: "n", 2: f"h_{n}", 3: f"w_{n}"} for n in names}
    axes["probability"] = {0: "n", 1: "h", 2: "w"}
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.stem}.{os.getpid()}.partial")
    with warnings.catch_warnings(), torch.inference_mode(False), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            module.eval(),
            inputs,
            str(partial),
            input_names=list(names),
            output_names=["probability"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    partial.replace(path)
    return path


class OnnxRuntimeSession:
    name = "onnxruntime"

    def __init__(self, path: Path, precision: str):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = cpu_threads()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        options.add_session_config_entry("session.set_denormal_as_zero", "1")  # up to 10x slower
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.precision = "f32"

    def run(self, feed: dict[str, np.ndarray]) -> np.ndarray:
        return self.session.run(None, feed)[0]


class OpenVinoSession:
    """OpenVINO on the CPU, compiled for each input shape it meets (static shapes measured 1.4x
    faster than one dynamic graph here); compiled graphs are cached on disk."""

    name = "openvino"

    def __init__(self, path: Path, precision: str):
        import openvino as ov

        self.core = ov.Core()
        supported = self.core.get_property("CPU", "OPTIMIZATION_CAPABILITIES")
        self.precision = "bf16" if precision != "f32" and "BF16" in supported else "f32"
        self.config = {
            "INFERENCE_PRECISION_HINT": self.precision,
            "INFERENCE_NUM_THREADS": cpu_threads(),
            "PERFORMANCE_HINT": "LATENCY",
            "CACHE_DIR": str(cache_dir() / "openvino"),
        }
        self.path = path
        self.model = self.core.read_model(str(path))  # checked here: a bad file fails at once
        self.requests: dict[tuple, tuple] = {}

    def _request(self, feed: dict[str, np.ndarray]):
        key = tuple((name, array.shape) for name, array in feed.items())
        if key not in self.requests:
            model = self.core.read_model(str(self.path))
            model.reshape({name: list(array.shape) for name, array in feed.items()})
            compiled = self.core.compile_model(model, "CPU", self.config)
            self.requests[key] = (compiled, compiled.create_infer_request())
        return self.requests[key]

    def run(self, feed: dict[str, np.ndarray]) -> np.ndarray:
        compiled, request = self._request(feed)
        return np.array(request.infer(feed)[compiled.output(0)])


SESSIONS = {"openvino": OpenVinoSession, "onnxruntime": OnnxRuntimeSession}


class OnnxRunner:
    """Calls the exported module on batches given as dicts of numpy arrays (N, ...), like TorchRunner.

    ``build_module``: makes the torch module to export, called only when no export is cached.
    """

    device = "cpu"

    def __init__(self, build_module: Callable, key: str, backend: str, precision: str = "auto"):
        self.build_module = build_module
        self.key = key
        self.backend = backend
        self.precision = precision
        self.session = None
        self.names: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.backend} {self.session.precision}" if self.session else self.backend

    def _path(self, names: tuple[str, ...]) -> Path:
        from importlib.metadata import version  # the exporter's version, without importing torch

        spec = json.dumps([self.key, names, EXPORT_VERSION, version("torch")], sort_keys=True)
        return cache_dir() / f"{hashlib.sha256(spec.encode()).hexdigest()[:24]}.onnx"

    def start(self, inputs: dict[str, np.ndarray]) -> None:
        """Load the cached export for these inputs, or export, check and keep it first."""
        self.names = tuple(inputs)
        path = self._path(self.names)
        if path.exists():
            self.session = SESSIONS[self.backend](path, self.precision)
            return
        example = {n: np.ascontiguousarray(a[:1], dtype=np.float32) for n, a in inputs.items()}
        module = self.build_module()
        export(module, self.names, example, path)
        self._check(module, example, path)
        self.session = SESSIONS[self.backend](path, self.precision)

    def _check(self, module, example: dict[str, np.ndarray], path: Path) -> None:
        """The new export, run in float32, against PyTorch (the file is kept only when they agree)."""
        import torch

        with torch.inference_mode():
            expected = module(*(torch.from_numpy(example[n]) for n in self.names)).float().numpy()
        exact = SESSIONS[self.backend](path, "f32")
        difference = float(np.abs(exact.run(example) - expected).max())
        if not difference <= TOLERANCE:
            path.unlink(missing_ok=True)
            raise RuntimeError(f"the ONNX graph differs from PyTorch by {difference:.2g}")

    def __call__(self, inputs: dict[str, np.ndarray]) -> np.ndarray:
        if self.session is None:
            self.start(inputs)
        return self.session.run({n: np.ascontiguousarray(inputs[n], dtype=np.float32) for n in self.names})
