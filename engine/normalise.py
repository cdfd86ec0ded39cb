"""Input normalisation chosen from the training data, stored in checkpoints, applied at inference.

``zscore`` (optical): (x − mean) / std per band. ``mz-tanh`` (SAR, Murdaca et al.): modified
z-score x_mz = 0.6745 (x − median) / MAD, then ½ (tanh(x_mz / 3) + 1). Statistics come from a
sample of valid pixels of the training scenes, never from loading every scene whole.
Optical models may also *standardise each scene* first (``standardise="scene"``): every date of
a scene gets (x − mean) / std per band from a sample of its own valid pixels, before the dataset
z-score. It removes what differs between acquisitions and sites (haze, season, sensor gain).
Pixels without data get the neutral value of the method (the edge policy): 0 for ``zscore``
(the training mean), 0.5 for ``mz-tanh`` (the training median).
"""

from __future__ import annotations

import numpy as np

MAX_SAMPLES_PER_CHANNEL = 2_000_000
NEUTRAL = {"zscore": 0.0, "mz-tanh": 0.5}


def _statistics(method: str, v: np.ndarray) -> tuple[float, float]:
    if method == "zscore":
        return float(v.mean()), float(max(v.std(), 1e-6))
    if method == "mz-tanh":
        median = float(np.median(v))
        return median, float(max(np.median(np.abs(v - median)), 1e-9))
    raise ValueError(f"unknown normalisation {method!r}")


def fit(method: str, samples: np.ndarray, shared: tuple[tuple[int, ...], ...] = ()) -> dict:
    """Statistics per channel from ``samples`` (C, P) of valid pixels.

    ``shared``: groups of channels that hold one quantity (the same band on two dates) and get
    one statistic computed over all of them, so exchanging them commutes with normalising.
    """
    samples = np.asarray(samples, dtype=np.float64)
    if samples.shape[1] > MAX_SAMPLES_PER_CHANNEL:
        picks = np.random.default_rng(0).choice(samples.shape[1], MAX_SAMPLES_PER_CHANNEL, replace=False)
        samples = samples[:, picks]
    stats = [_statistics(method, row) for row in samples]
    for group in shared:
        pooled = _statistics(method, samples[list(group)].ravel())
        for channel in group:
            stats[channel] = pooled
    centre, scale = ("mean", "std") if method == "zscore" else ("median", "mad")
    out = {"method": method, centre: [c for c, _ in stats], scale: [s for _, s in stats]}
    if shared:
        out["shared"] = [list(g) for g in shared]
    return out


def _parameters(params: dict) -> tuple[str, str]:
    method = params["method"]
    if method == "zscore":
        return "mean", "std"
    if method == "mz-tanh":
        return "median", "mad"
    raise ValueError(f"unknown normalisation {method!r}")


def _formula(method: str, x, centre, scale, tanh):
    """The normalisation itself, for numpy arrays and torch tensors alike."""
    if method == "zscore":
        return (x - centre) / scale
    return 0.5 * (tanh(0.6745 * (x - centre) / scale / 3.0) + 1.0)


def apply(params: dict, x: np.ndarray, valid: np.ndarray | None = None, channel_axis: int = 1) -> np.ndarray:
    """Normalise ``x`` (channels on ``channel_axis``); invalid pixels (…, H, W) become neutral."""
    shape = [1] * x.ndim
    shape[channel_axis] = -1
    centre, scale = (np.asarray(params[k], np.float32).reshape(shape) for k in _parameters(params))
    out = _formula(params["method"], x.astype(np.float32), centre, scale, np.tanh)
    if valid is not None:
        mask = np.expand_dims(valid, channel_axis)
        out = np.where(mask, out, NEUTRAL[params["method"]])
    return out.astype(np.float32)


def apply_tensor(params: dict, x, channel_axis: int = 1):
    """``apply`` for a torch tensor on any device (training normalises batches there)."""
    import torch

    shape = [1] * x.ndim
    shape[channel_axis] = -1
    centre, scale = (
        torch.tensor(params[k], dtype=torch.float32, device=x.device).view(shape) for k in _parameters(params)
    )
    return _formula(params["method"], x.float(), centre, scale, torch.tanh)


def scene_standardisation(samples: np.ndarray) -> dict:
    """Per-band mean and std of one date of one scene, from its sampled valid pixels (C, P)."""
    return fit("zscore", samples)


def standardise(
    scene: dict | None, x: np.ndarray, valid: np.ndarray | None, channel_axis: int = 1
) -> np.ndarray:
    """``x`` standardised by its scene's statistics (``scene``: ``scene_standardisation``'s)."""
    return x if scene is None else apply(scene, x, valid, channel_axis)
