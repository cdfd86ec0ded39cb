"""What the engine can use on this machine: versions, CUDA devices, missing packages."""

from __future__ import annotations

import importlib
import importlib.util
import platform

from . import __version__

# Python modules the engine needs at run time, with the pip package that provides each.
RUNTIME_MODULES = {
    "numpy": "numpy",
    "rasterio": "rasterio",
    "torch": "torch",
    "skimage": "scikit-image",
    "tqdm": "tqdm",
}

# Optional (faster CPU inference, ONNX files): see missing_accelerators.
ACCELERATOR_MODULES = ("openvino", "onnxruntime", "onnx")


def cpu_threads() -> int:
    """Threads for inference: all cores, unless OMP_NUM_THREADS asks for fewer (several jobs)."""
    import os

    asked = os.environ.get("OMP_NUM_THREADS", "")
    return int(asked) if asked.isdigit() and int(asked) > 0 else max(1, os.cpu_count() or 1)


def python_interpreter() -> str:
    """The Python interpreter running this code (inside QGIS ``sys.executable`` can be the QGIS
    binary or a shell shim): pip and worker processes are started with it."""
    import shutil
    import sys
    from pathlib import Path

    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    executable = Path(sys.executable) if sys.executable else None
    homes = {Path(sys.prefix).resolve(), Path(sys.base_exec_prefix).resolve()}
    if executable and executable.name.lower().startswith("python"):
        # embedded in QGIS, sys.executable may be whatever "python3" is first on PATH: trust it
        # only inside this Python's own installation or virtual environment
        if any(home in executable.absolute().parents for home in homes):
            return sys.executable
    base = Path(sys.base_exec_prefix)
    candidates = [
        base / "python.exe",  # Windows (OSGeo4W, standalone installer)
        base / "bin" / f"python{version}",  # Linux, macOS app bundle
        base / "bin" / "python3",
    ]
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    return shutil.which(f"python{version}") or shutil.which("python3") or "python3"


def missing_dependencies() -> list[str]:
    """Pip package names of runtime dependencies that cannot be imported (nothing is imported)."""
    return [pkg for mod, pkg in RUNTIME_MODULES.items() if importlib.util.find_spec(mod) is None]


def missing_accelerators() -> list[str]:
    """Pip names of the optional packages that speed the networks up on a CPU, when missing.

    OpenVINO (preferred) or ONNX Runtime runs the networks' ONNX export 2-4x faster than PyTorch;
    onnx reads and writes MineCD's ONNX files. Without them everything still runs, on PyTorch.
    """
    have = {m: importlib.util.find_spec(m) is not None for m in ACCELERATOR_MODULES}
    wanted = [] if have["openvino"] or have["onnxruntime"] else ["openvino"]
    return wanted + ([] if have["onnx"] else ["onnx"])


def cuda_devices() -> list[str]:
    """Names of the CUDA GPUs torch can use, in index order; empty without torch or CUDA."""
    try:
        import torch
    except ImportError:
        return []
    if not torch.cuda.is_available():
        return []
    return [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]


def _version(module: str) -> str | None:
    try:
        return getattr(importlib.import_module(module), "__version__", "unknown")
    except ImportError:
        return None


def describe() -> dict:
    """A JSON-serialisable report of the engine's environment."""
    info = {
        "minecd": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "missing": missing_dependencies(),
        "missing_optional": missing_accelerators(),
    }
    for module in ("numpy", "rasterio", "torch", "skimage", "openvino", "onnxruntime", "dask", "distributed"):
        info[module] = _version(module)
    info["fast_cpu_runtime"] = next((m for m in ("openvino", "onnxruntime") if info[m]), None)
    if info["rasterio"]:
        import rasterio

        info["gdal"] = rasterio.__gdal_version__
    info["cuda_devices"] = cuda_devices()
    if info["torch"]:
        import torch

        info["torch_threads"] = torch.get_num_threads()
    return info
