"""PNG quicklooks: decimated reads (bounded memory), stretched RGB, SAR in dB, outcome maps, panels."""

from __future__ import annotations

from pathlib import Path

import numpy as np

MAX_SIDE = 1024
TP, FP, FN = (0.95, 0.95, 0.95), (0.90, 0.15, 0.10), (0.15, 0.45, 0.95)


def read_decimated(path: Path, bands=None, max_side: int = MAX_SIDE) -> np.ndarray:
    """A decimated read (bounded memory for any scene size)."""
    import rasterio
    from rasterio.enums import Resampling

    with rasterio.open(path) as ds:
        factor = max(1, int(np.ceil(max(ds.width, ds.height) / max_side)))
        shape = (ds.height // factor, ds.width // factor)
        bands = bands or list(range(1, ds.count + 1))
        kwargs = {"out_dtype": np.complex64} if ds.dtypes[0].startswith("complex") else {}
        return ds.read(bands, out_shape=(len(bands), *shape), resampling=Resampling.nearest, **kwargs)


def stretch(rgb: np.ndarray) -> np.ndarray:
    """(3, H, W) -> (H, W, 3) in [0, 1] with a 2-98 % stretch per band."""
    out = np.zeros(rgb.shape[1:] + (3,), dtype=np.float32)
    for i in range(3):
        band = rgb[i].astype(np.float32)
        valid = band[band > 0]
        lo, hi = np.percentile(valid, (2, 98)) if valid.size else (0, 1)
        out[..., i] = np.clip((band - lo) / max(hi - lo, 1e-6), 0, 1)
    return out


def db_image(z: np.ndarray, looks: int = 3) -> np.ndarray:
    """Amplitude in dB after a looks×looks boxcar on intensity (readable despite speckle)."""
    from scipy.ndimage import uniform_filter

    intensity = uniform_filter(np.abs(z).astype(np.float32) ** 2, looks)
    db = 10 * np.log10(np.maximum(intensity, 1e-12))
    lo, hi = np.percentile(db, (2, 98))
    return np.clip((db - lo) / max(hi - lo, 1e-6), 0, 1)


def outcome_image(pred: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """True positives white, false positives red, false negatives blue, the rest black."""
    img = np.zeros(truth.shape + (3,), dtype=np.float32)
    p, t = pred == 1, truth == 1
    img[p & t], img[p & ~t], img[~p & t] = TP, FP, FN
    return img


def save_panels(panels: list[tuple[str, np.ndarray]], out: Path, title: str = "", dpi: int = 110) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(panels), figsize=(4 * len(panels), 4.4), dpi=dpi)
    for ax, (name, img) in zip(np.atleast_1d(axes), panels):
        ax.imshow(img, cmap="gray" if img.ndim == 2 else None, vmin=0, vmax=1, interpolation="nearest")
        ax.set_title(name, fontsize=10)
        ax.axis("off")
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)
    return out
