"""Windowed GeoTIFF outputs: written to a temporary file beside the target, renamed on success.

A cancel or crash never leaves a half-written file at the output path.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import numpy as np

from .errors import MineCDError
from .raster import Grid, Window
from .tiling import block_within

MASK_NODATA = 255
PROB_NODATA = -1.0


def check_writable(path: str | os.PathLike) -> Path:
    """Fail early, naming the file, when ``path`` cannot be written."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise MineCDError(f"{path}: is a folder, not an output file")
    if not folder.is_dir():
        raise MineCDError(f"{path}: output folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise MineCDError(f"{path}: output folder {folder} is not writable")
    if path.exists() and not os.access(path, os.W_OK):
        raise MineCDError(f"{path}: output file exists and is not writable")
    return path


def _temp_path(path: Path) -> Path:
    return path.with_name(f".{path.stem}.{uuid.uuid4().hex[:8]}.part{path.suffix or '.tif'}")


class RasterWriter:
    """One single-band GeoTIFF covering ``extent`` of the reference ``grid``."""

    def __init__(
        self, path, grid: Grid, extent: Window, dtype: str, nodata: float, block: int = 256, cog: bool = False
    ):
        """``cog``: commit rewrites the file as a Cloud Optimized GeoTIFF (overviews first)."""
        import rasterio

        self.path = check_writable(path)
        self.extent = extent
        self.tmp = _temp_path(self.path)
        self.cog = cog
        block = block_within(block)  # GeoTIFF blocks that the tiles fill exactly, at most 512 px
        self.block = block
        profile = {
            "driver": "GTiff",
            "width": extent.width,
            "height": extent.height,
            "count": 1,
            "dtype": dtype,
            "nodata": nodata,
            "tiled": True,
            "blockxsize": block,
            "blockysize": block,
            "compress": "DEFLATE",
            "predictor": 3 if np.dtype(dtype).kind == "f" else 2,
            "BIGTIFF": "IF_SAFER",
        }
        if grid.georeferenced:
            profile.update(crs=grid.crs, transform=grid.window_transform(extent))
        try:
            self.dataset = rasterio.open(self.tmp, "w", **profile)
        except Exception as exc:
            raise MineCDError(f"{self.path}: cannot create the output ({exc})") from None

    def write(self, window: Window, array: np.ndarray) -> None:
        """Write ``array`` (covering ``window`` on the reference grid), clipped to the extent."""
        part = window.intersection(self.extent)
        if part is None:
            return
        rows, cols = part.slices(window)
        local = part.shift(-self.extent.col, -self.extent.row)
        self.dataset.write(array[rows, cols], 1, window=local.to_rasterio())

    def commit(self, overview_resampling: str = "nearest") -> Path:
        from rasterio.enums import Resampling

        if self.cog:
            return self._commit_cog(overview_resampling)
        factors, size = [], max(self.extent.width, self.extent.height)
        while size // (2 ** (len(factors) + 1)) >= 256:
            factors.append(2 ** (len(factors) + 1))
        if factors:
            self.dataset.build_overviews(factors, Resampling[overview_resampling])
        self.dataset.close()
        os.replace(self.tmp, self.path)
        return self.path

    def _commit_cog(self, overview_resampling: str) -> Path:
        from rasterio.shutil import copy

        self.dataset.close()
        cog = _temp_path(self.path)
        try:
            copy(
                self.tmp,
                cog,
                driver="COG",
                COMPRESS="DEFLATE",
                PREDICTOR="YES",
                BLOCKSIZE=self.block,
                OVERVIEW_RESAMPLING=overview_resampling.upper(),
                BIGTIFF="IF_SAFER",
            )
            os.replace(cog, self.path)
        finally:
            cog.unlink(missing_ok=True)
            self.tmp.unlink(missing_ok=True)
        return self.path

    def abort(self) -> None:
        try:
            self.dataset.close()
        finally:
            for leftover in (self.tmp, Path(str(self.tmp) + ".aux.xml"), Path(str(self.tmp) + ".ovr")):
                if leftover.exists():
                    leftover.unlink()
