"""Plain helpers shared by the test suites (importable: tests/ is on pytest's pythonpath)."""

from __future__ import annotations

import numpy as np

UTM50 = "EPSG:32650"
ORIGIN = (500_000.0, 4_000_000.0)


def smooth_field(shape, rng, scale=8):
    """Spatially smooth noise (bilinear-friendly), values roughly in [0, 1]."""
    from scipy.ndimage import zoom

    h, w = shape
    coarse = rng.random((h // scale + 2, w // scale + 2))
    return zoom(coarse, scale, order=1)[:h, :w]


def f1_score(mask: np.ndarray, truth: np.ndarray) -> float:
    pred = mask == 1
    tp = np.count_nonzero(pred & truth)
    fp = np.count_nonzero(pred & ~truth)
    fn = np.count_nonzero(~pred & truth)
    return 2 * tp / max(2 * tp + fp + fn, 1)


def read(path, band=1):
    import rasterio

    with rasterio.open(path) as ds:
        return ds.read(band)


def tiny_onnx_model(folder, sidecar: dict | None = None):
    """A stand-in third-party change model (two 3-band 64 px inputs A and B, 2-class logits from
    |A − B|) exported to ONNX, with its JSON sidecar; returns the .onnx path."""
    import json
    import warnings

    import torch

    class TinyChange(torch.nn.Module):
        def forward(self, a, b):
            d = (a - b).abs().mean(1, keepdim=True)
            return torch.cat([1 - 4 * d, 4 * d - 1], 1)

    model = folder / "tiny.onnx"
    x = torch.zeros(1, 3, 64, 64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(TinyChange(), (x, x), str(model), input_names=["A", "B"], output_names=["out"],
                          opset_version=17, dynamo=False)  # fmt: skip
    if sidecar is not None:
        (folder / "tiny.json").write_text(json.dumps(sidecar))
    return model


TINY_SIDECAR = {
    "inputs": ["A", "B"],
    "bands": [1, 2, 3],
    "scale": 1 / 255,
    "output": "logits",
    "name": "tiny",
}
