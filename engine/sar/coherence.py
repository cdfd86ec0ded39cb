"""Interferometric coherence of a co-registered SLC pair, streamed in tiles.

γ = |Σ z1·z2*| / sqrt(Σ|z1|² Σ|z2|²) over a boxcar window (rows = azimuth, columns = range;
default 5×5 = 25 looks). Only valid pixels enter the sums, so windows at nodata edges use fewer
looks. A smooth phase ramp (flat-earth, orbital) lowers γ over a window; with
``remove_ramp`` a linear ramp is estimated once per scene from sampled tiles (peak of the
interferogram's spectrum) and removed everywhere, so tiles agree and join without seams.
"""

from __future__ import annotations

import numpy as np

from ..errors import MineCDError

DEFAULT_WINDOW = (5, 5)
NODATA = -1.0


def parse_window(text: str | tuple | int) -> tuple[int, int]:
    """``"5x5"``, ``"3x11"`` (azimuth × range), ``7`` or a tuple."""
    if isinstance(text, int):
        window = (text, text)
    elif isinstance(text, tuple):
        window = text
    else:
        parts = str(text).lower().replace("*", "x").split("x")
        try:
            window = tuple(int(p) for p in parts) if len(parts) == 2 else (int(parts[0]),) * 2
        except ValueError:
            window = ()
    if len(window) != 2 or min(window) < 1:
        raise MineCDError(f"coherence window '{text}': expected AZxRG, e.g. 5x5")
    return int(window[0]), int(window[1])


def _window_sum(a: np.ndarray, size: int, axis: int) -> np.ndarray:
    """Sum over a window of ``size`` along ``axis`` (zero outside), added in a fixed order.

    Each output depends only on its own window, never on where the array starts (a running sum
    would carry rounding along the line), so tiles of a scene match it bit for bit.
    """
    left = size // 2
    pad = [(0, 0)] * a.ndim
    pad[axis] = (left, size - 1 - left)
    padded = np.pad(a, pad)
    index = [slice(None)] * a.ndim
    index[axis] = slice(0, a.shape[axis])
    out = padded[tuple(index)].copy()
    for k in range(1, size):
        index[axis] = slice(k, k + a.shape[axis])
        out += padded[tuple(index)]
    return out


def boxcar(values: np.ndarray, window: tuple[int, int]) -> np.ndarray:
    """Sum-normalised boxcar (mean) over the last two axes, zero outside."""
    rows, cols = window
    sums = _window_sum(_window_sum(values, rows, -2), cols, -1)
    return sums / np.asarray(rows * cols, dtype=sums.dtype)


def masked_boxcar(values: np.ndarray, valid: np.ndarray, window: tuple[int, int]) -> np.ndarray:
    """Mean of ``values`` over the valid pixels of each window (0 where a window has none)."""
    weights = valid.astype(np.float32)
    num = boxcar(values * weights, window)
    den = boxcar(weights, window)
    return np.divide(num, den, out=np.zeros_like(num), where=den > 1e-6)


def coherence(
    z1: np.ndarray, z2: np.ndarray, valid: np.ndarray, window=DEFAULT_WINDOW, ramp=None
) -> np.ndarray:
    """Coherence of complex arrays (…, H, W); invalid or look-less pixels are NaN.

    ``ramp``: (fx, fy, col0, row0): z2's phase ramp relative to z1 in cycles per pixel along
    columns and rows, removed before estimation; (col0, row0) is the array's first pixel on the
    scene grid, so the tiles of one scene share one ramp.
    """
    return looks_and_coherence(z1, z2, valid, window, ramp)[2]


def looks_and_coherence(
    z1: np.ndarray, z2: np.ndarray, valid: np.ndarray, window=DEFAULT_WINDOW, ramp=None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Multilooked intensities of both dates (``masked_boxcar`` of |z|²) and their coherence,
    from one set of window sums (the SAR U-Net's three channels, about half the work)."""
    w = valid.astype(np.float32)
    z1 = z1 * w
    z2 = z2 * w
    if ramp is not None:
        fx, fy, col0, row0 = ramp
        h, width = z2.shape[-2:]
        cols = np.arange(width) + col0
        rows = np.arange(h) + row0
        phase = 2 * np.pi * (fx * cols[None, :] + fy * rows[:, None])
        z2 = z2 * np.exp(-1j * phase).astype(np.complex64)
    cross = z1 * np.conj(z2)
    num = np.abs(boxcar(cross.real, window) + 1j * boxcar(cross.imag, window))
    power1, power2, weight = (
        boxcar(np.abs(z1) ** 2, window),
        boxcar(np.abs(z2) ** 2, window),
        boxcar(w, window),
    )
    den = np.sqrt(power1 * power2)
    out = np.full(num.shape, np.nan, dtype=np.float32)
    ok = valid & (den > 0) & (weight > 0)
    out[ok] = np.clip(num[ok] / den[ok], 0.0, 1.0)
    looks = [np.divide(p, weight, out=np.zeros_like(p), where=weight > 1e-6) for p in (power1, power2)]
    return looks[0], looks[1], out


def estimate_ramp(z1: np.ndarray, z2: np.ndarray, valid: np.ndarray) -> tuple[float, float]:
    """z2's phase ramp relative to z1 (cycles/pixel along columns, rows) in one tile."""
    ifg = np.where(valid, z1 * np.conj(z2), 0)
    amp = np.abs(ifg)
    ifg = np.divide(ifg, amp, out=np.zeros_like(ifg), where=amp > 0)  # phase only
    spectrum = np.abs(np.fft.fft2(ifg))
    r, c = np.unravel_index(np.argmax(spectrum), spectrum.shape)
    fy, fx = np.fft.fftfreq(ifg.shape[0])[r], np.fft.fftfreq(ifg.shape[1])[c]
    return float(-fx), float(-fy)  # z1·z2* carries z2's phase with a minus sign


def scene_ramp(stack, grid, progress=None, count: int = 16) -> tuple[float, float]:
    """The scene's linear phase ramp: median of the per-tile estimates over sampled tiles."""
    from ..tiling import TileReader

    estimates = []
    reader = TileReader(stack, grid, tiles=grid.spread(count))
    for i, sample in enumerate(reader):
        if sample.valid.mean() > 0.5:
            estimates.append(estimate_ramp(sample.data["before"][0], sample.data["after"][0], sample.valid))
        if progress:
            progress.update((i + 1) / len(reader))
    if not estimates:
        return 0.0, 0.0
    fx, fy = np.median(np.asarray(estimates), axis=0)
    return float(fx), float(fy)


def compute_coherence(
    before,
    after,
    out,
    window=DEFAULT_WINDOW,
    remove_ramp: bool = False,
    tile: int = 512,
    progress=None,
    cancel=None,
) -> dict:
    """Write the float32 coherence of an SLC pair (nodata −1), tile by tile with a halo.

    The pair must be complex and share a pixel grid (complex data are never resampled).
    """
    import time

    from ..progress import Progress
    from ..raster import InputStack, gdal_env
    from ..streaming import Outputs, stream
    from ..tiling import TileGrid, TileReader
    from ..writer import RasterWriter, check_writable

    started = time.perf_counter()
    report = Progress(progress, cancel)
    window = parse_window(window)
    halo = max(window) // 2
    check_writable(out)
    with (
        gdal_env(),
        InputStack({"before": before, "after": after}, band_count={"before": 1, "after": 1}) as stack,
    ):
        for role in ("before", "after"):
            if not stack.source(role).is_complex:
                raise MineCDError(
                    f"{stack.source(role).path}: not complex (SLC) data; coherence needs the phase"
                )
        grid = TileGrid(stack.extent, tile)
        ramp = (0.0, 0.0)
        if remove_ramp:
            report.stage(0.0, 0.05, "estimating the phase ramp")
            ramp = scene_ramp(stack, grid, report)
        report.stage(0.05, 0.97, "coherence")
        with Outputs() as outputs:
            writer = outputs.add(
                RasterWriter(out, stack.grid, stack.extent, "float32", NODATA, min(tile, 512)), "average"
            )
            for sample in stream(TileReader(stack, grid, halo=halo), len(grid), report):
                w = sample.tile.window.expand(halo)
                gamma = coherence(
                    sample.data["before"][0],
                    sample.data["after"][0],
                    sample.valid,
                    window,
                    (ramp[0], ramp[1], w.col, w.row) if remove_ramp else None,
                )
                core = gamma[halo:-halo, halo:-halo]
                writer.write(sample.tile.window, np.where(np.isfinite(core), core, NODATA).astype(np.float32))
            report.stage(0.97, 1.0, "writing overviews")
            outputs.commit()
        extent = stack.extent
    return {
        "coherence": str(out),
        "window": list(window),
        "ramp_cycles_per_pixel": list(ramp),
        "width": extent.width,
        "height": extent.height,
        "runtime_s": round(time.perf_counter() - started, 3),
    }
