"""Deterministic procedural noise over world coordinates.

Values come from an integer hash of (seed, lattice cell), so any block of a scene can be
computed on its own and neighbouring blocks join without seams.
"""

from __future__ import annotations

import numpy as np

_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xBF58476D1CE4E5B9)
_M3 = np.uint64(0x94D049BB133111EB)


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser on uint64 arrays."""
    h = h ^ (h >> np.uint64(30))
    h = h * _M2
    h = h ^ (h >> np.uint64(27))
    h = h * _M3
    return h ^ (h >> np.uint64(31))


def hash_uniform(seed: int, *keys: np.ndarray | int) -> np.ndarray:
    """Uniform [0, 1) values from integer keys (broadcast together), reproducible everywhere."""
    with np.errstate(over="ignore"):
        h = np.uint64(seed & 0xFFFFFFFFFFFFFFFF) * _M1
        for k in keys:
            h = _mix(h ^ (np.asarray(k).astype(np.int64).astype(np.uint64) + _M1))
        h = _mix(h)
    return (h >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


def _smooth(t: np.ndarray) -> np.ndarray:
    return t * t * (3.0 - 2.0 * t)


def value_noise(xs: np.ndarray, ys: np.ndarray, cell: float, seed: int) -> np.ndarray:
    """Smooth noise in [0, 1] on the grid ``ys`` (rows) × ``xs`` (columns), feature size ``cell``."""
    gx, gy = xs / cell, ys / cell
    ix, iy = np.floor(gx).astype(np.int64), np.floor(gy).astype(np.int64)
    fx, fy = _smooth(gx - ix), _smooth(gy - iy)
    c0, r0 = ix.min(), iy.min()
    cols = np.arange(c0, ix.max() + 2)
    rows = np.arange(r0, iy.max() + 2)
    lattice = hash_uniform(seed, rows[:, None], cols[None, :])
    jx = ix - c0
    along_x = lattice[:, jx] * (1 - fx) + lattice[:, jx + 1] * fx  # (lattice rows, W)
    jy = iy - r0
    out = along_x[jy] * (1 - fy)[:, None] + along_x[jy + 1] * fy[:, None]
    return out.astype(np.float32)


def fbm(
    xs: np.ndarray, ys: np.ndarray, cell: float, seed: int, octaves: int = 3, gain: float = 0.5
) -> np.ndarray:
    """Fractal sum of value noise, rescaled to about [0, 1]."""
    total = np.zeros((len(ys), len(xs)), dtype=np.float32)
    amplitude, norm = 1.0, 0.0
    for octave in range(octaves):
        total += amplitude * value_noise(xs, ys, cell / 2**octave, seed * 131 + octave)
        norm += amplitude
        amplitude *= gain
    return total / norm


def block_rng(seed: int, *keys: int) -> np.random.Generator:
    """A numpy generator for per-pixel noise of one block (independent of block order)."""
    return np.random.default_rng([seed & 0xFFFFFFFF, *[int(k) & 0xFFFFFFFF for k in keys]])


def noise_at(x: np.ndarray, y: np.ndarray, cell: float, seed: int) -> np.ndarray:
    """``value_noise`` evaluated at scattered points (arrays of equal shape)."""
    gx, gy = np.asarray(x, dtype=np.float64) / cell, np.asarray(y, dtype=np.float64) / cell
    ix, iy = np.floor(gx).astype(np.int64), np.floor(gy).astype(np.int64)
    fx, fy = _smooth(gx - ix), _smooth(gy - iy)
    v00, v01 = hash_uniform(seed, iy, ix), hash_uniform(seed, iy, ix + 1)
    v10, v11 = hash_uniform(seed, iy + 1, ix), hash_uniform(seed, iy + 1, ix + 1)
    top = v00 * (1 - fx) + v01 * fx
    bottom = v10 * (1 - fx) + v11 * fx
    return (top * (1 - fy) + bottom * fy).astype(np.float32)
