"""Change labels of a training scene, complete or partial, read tile by tile on the scene's grid.

A user labels what they know: a label raster (0 no change, 1..254 change, 255 or the raster's
nodata = not labelled), or change polygons with an optional *labelled area* (polygons; outside
it nothing is known). Only labelled pixels enter the loss and the metrics. A label raster on
another grid is warped onto the before grid by nearest neighbour (labels are classes).

Label values of a chip: 0 no change, 1 change, ``UNLABELLED`` (254: imagery but no label),
``IGNORE`` (255: no imagery).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..archs.base import IGNORE, UNLABELLED
from ..errors import MineCDError
from ..raster import InputStack, Window, grid_of, open_raster, whole_pixel_offset

NOT_LABELLED_VALUE = 255


class LabelRaster:
    """A one-band label raster read on the reference grid: (values, labelled) per window."""

    def __init__(self, path: Path, stack: InputStack):
        self.path = path
        self.dataset = open_raster(path)
        self.grid = stack.grid
        own = grid_of(self.dataset)
        nodata = self.dataset.nodata
        # nodata 0 would make every no-change pixel unknown: 0 stays "no change"
        self.nodata = None if nodata is None or nodata == 0 else nodata
        self.offset, self._vrt = (0, 0), None
        if not own.georeferenced or not self.grid.georeferenced:
            if (own.width, own.height) != (self.grid.width, self.grid.height):
                raise MineCDError(
                    f"{path}: without georeferencing the labels must have the size of the rasters "
                    f"({own.width}x{own.height} vs {self.grid.width}x{self.grid.height})"
                )
        else:
            offset = whole_pixel_offset(own, self.grid)
            if offset is not None:
                self.offset = offset
            else:
                from rasterio.enums import Resampling
                from rasterio.vrt import WarpedVRT

                self._vrt = WarpedVRT(
                    self.dataset,
                    crs=self.grid.crs,
                    transform=self.grid.transform,
                    width=self.grid.width,
                    height=self.grid.height,
                    resampling=Resampling.nearest,
                    src_nodata=self.nodata,
                    nodata=NOT_LABELLED_VALUE,
                )
        self.own = own

    def read(self, window: Window) -> tuple[np.ndarray, np.ndarray]:
        values = np.full((window.height, window.width), NOT_LABELLED_VALUE, dtype=np.float64)
        if self._vrt is not None:
            limits = self.grid.window
        else:
            dc, dr = self.offset
            limits = Window(-dc, -dr, self.own.width, self.own.height)
        part = window.intersection(limits)
        if part is not None:
            reader = self._vrt if self._vrt is not None else self.dataset
            rows, cols = part.slices(window)
            values[rows, cols] = reader.read(1, window=part.shift(*self.offset).to_rasterio())
        labelled = np.isfinite(values) & (values != NOT_LABELLED_VALUE)
        if self.nodata is not None:
            labelled &= values != self.nodata
        return values, labelled

    def close(self) -> None:
        if self._vrt is not None:
            self._vrt.close()
        self.dataset.close()


class SceneLabels:
    """Everything known about a scene's changes: raster or polygons, and the labelled area."""

    def __init__(self, labels: Path, stack: InputStack, label_area: Path | None = None):
        from ..vector import read_polygons

        self.stack = stack
        self.raster = None if labels.suffix.lower() != ".tif" else LabelRaster(labels, stack)
        crs = stack.grid.crs_wkt()
        self.polygons = read_polygons(labels, crs) if self.raster is None else None
        self.area = read_polygons(label_area, crs) if label_area else None
        if label_area and not self.area:
            raise MineCDError(f"{label_area}: the labelled area has no polygon")

    def _burn(self, geometries, window: Window) -> np.ndarray:
        from rasterio.features import rasterize

        if not geometries:
            return np.zeros((window.height, window.width), dtype=bool)
        return rasterize(
            geometries,
            out_shape=(window.height, window.width),
            transform=self.stack.grid.window_transform(window),
            fill=0,
            default_value=1,
        ).astype(bool)

    def read(self, window: Window, valid: np.ndarray) -> np.ndarray:
        """uint8 labels of ``window``: 0, 1, UNLABELLED, or IGNORE where ``valid`` (imagery) is False."""
        if self.raster is not None:
            values, labelled = self.raster.read(window)
            change = labelled & (values > 0.5)
        else:
            change = self._burn(self.polygons, window)
            labelled = np.ones(change.shape, dtype=bool)
        if self.area is not None:
            labelled &= self._burn(self.area, window)
        out = np.where(labelled, change.astype(np.uint8), UNLABELLED).astype(np.uint8)
        out[~valid] = IGNORE
        return out

    def close(self) -> None:
        if self.raster is not None:
            self.raster.close()


def labelled_pixels(labels: np.ndarray) -> np.ndarray:
    """Pixels that carry a label (0 or 1)."""
    return labels <= 1
