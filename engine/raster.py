"""Opening input rasters and aligning them on one reference grid, window by window.

The first input (the "before" raster) defines the reference grid. Every other input is read
on that grid: directly when its pixels line up (same CRS and pixel size, whole-pixel offset),
otherwise through a WarpedVRT (bilinear). Complex SAR is never resampled. Windows may reach
outside the data: such pixels come back as 0 with ``valid = False``.
"""

from __future__ import annotations

import math
import os
import warnings
from dataclasses import dataclass

import numpy as np

from .errors import MineCDError

COMPLEX_DTYPES = {"complex_int16", "complex64", "complex128", "complex_int32"}
GDAL_CACHE_MB = 64  # GDAL's block cache; bounded so memory does not grow with scene size


def _rasterio():
    import rasterio
    from rasterio.errors import NotGeoreferencedWarning

    warnings.filterwarnings("ignore", category=NotGeoreferencedWarning)
    return rasterio


def gdal_env():
    """The rasterio environment every engine read/write runs in.

    GDAL_NUM_THREADS is deliberately left unset: with GDAL 3.6 its GTiff worker queue can
    deadlock while overviews are built. Reading already overlaps compute in its own thread.
    """
    return _rasterio().Env(GDAL_CACHEMAX=GDAL_CACHE_MB)


@dataclass(frozen=True)
class Window:
    """A pixel window on the reference grid; may extend beyond it."""

    col: int
    row: int
    width: int
    height: int

    @property
    def col_end(self) -> int:
        return self.col + self.width

    @property
    def row_end(self) -> int:
        return self.row + self.height

    @property
    def size(self) -> int:
        return self.width * self.height

    def intersection(self, other: Window) -> Window | None:
        c0, r0 = max(self.col, other.col), max(self.row, other.row)
        c1, r1 = min(self.col_end, other.col_end), min(self.row_end, other.row_end)
        if c1 <= c0 or r1 <= r0:
            return None
        return Window(c0, r0, c1 - c0, r1 - r0)

    def expand(self, margin: int) -> Window:
        return Window(self.col - margin, self.row - margin, self.width + 2 * margin, self.height + 2 * margin)

    def shift(self, dcol: int, drow: int) -> Window:
        return Window(self.col + dcol, self.row + drow, self.width, self.height)

    def slices(self, origin: Window) -> tuple[slice, slice]:
        """Row and column slices of this window inside an array covering ``origin``."""
        r, c = self.row - origin.row, self.col - origin.col
        return slice(r, r + self.height), slice(c, c + self.width)

    def to_rasterio(self):
        from rasterio.windows import Window as RioWindow

        return RioWindow(self.col, self.row, self.width, self.height)


@dataclass(frozen=True)
class Grid:
    """The reference pixel grid: size, affine transform and CRS (None when not georeferenced)."""

    width: int
    height: int
    transform: object  # affine.Affine
    crs: object  # rasterio.crs.CRS | None

    @property
    def window(self) -> Window:
        return Window(0, 0, self.width, self.height)

    @property
    def georeferenced(self) -> bool:
        return self.crs is not None

    def window_transform(self, window: Window):
        return self.transform * self.transform.translation(window.col, window.row)

    def bounds(self, window: Window | None = None) -> tuple[float, float, float, float]:
        window = window or self.window
        t = self.window_transform(window)
        xs = [t.c, t.c + t.a * window.width + t.b * window.height]
        ys = [t.f, t.f + t.d * window.width + t.e * window.height]
        return min(xs), min(ys), max(xs), max(ys)

    def window_from_bounds(self, bounds) -> Window:
        """Smallest whole-pixel window covering ``bounds`` (in the grid's CRS)."""
        inv = ~self.transform
        xmin, ymin, xmax, ymax = bounds
        cols, rows = zip(*(inv * (x, y) for x in (xmin, xmax) for y in (ymin, ymax)))
        c0, r0 = math.floor(min(cols) + 1e-6), math.floor(min(rows) + 1e-6)
        c1, r1 = math.ceil(max(cols) - 1e-6), math.ceil(max(rows) - 1e-6)
        return Window(c0, r0, c1 - c0, r1 - r0)

    def pixel_area_m2(self) -> float | None:
        """Area of one pixel in m²; None when the grid has no CRS. Geographic CRS: at the centre."""
        if self.crs is None:
            return None
        t = self.transform
        area = abs(t.a * t.e - t.b * t.d)
        if self.crs.is_geographic:
            lat = math.radians((self.bounds()[1] + self.bounds()[3]) / 2)
            return area * 111_320.0 * 110_574.0 * math.cos(lat)
        factor = _linear_units_factor(self.crs)
        return area * factor * factor

    def crs_wkt(self) -> str | None:
        return self.crs.to_wkt() if self.crs is not None else None


def _linear_units_factor(crs) -> float:
    try:
        return float(crs.linear_units_factor[1])
    except Exception:  # older rasterio / unknown units: assume metres
        return 1.0


def grid_of(dataset) -> Grid:
    return Grid(dataset.width, dataset.height, dataset.transform, dataset.crs)


class Source:
    """One input raster read on the reference grid, with its selected bands and validity."""

    def __init__(
        self,
        path: str,
        role: str,
        dataset,
        bands: list[int] | None,
        reference: Grid | None,
        band_count: int | None = None,
    ):
        self.path = path
        self.role = role
        self.dataset = dataset
        self.is_complex = dataset.dtypes[0] in COMPLEX_DTYPES
        self.palette = _palette(dataset)  # (4, N) RGBA per index, or None
        self.bands = self._select_bands(bands, band_count)
        if self.palette is not None:
            self.dtype = np.dtype(np.uint8)
        else:
            self.dtype = np.complex64 if self.is_complex else np.dtype(dataset.dtypes[self.bands[0] - 1])
        self.pixels_read = 0
        self._vrt = None
        self.offset = (0, 0)  # reference (col,row) + offset = source (col,row)
        self.resampled = False
        own = grid_of(dataset)
        self.grid = reference or own
        if reference is not None:
            self._align(own, reference)
        self.footprint = self._footprint(own)

    # ---------------------------------------------------------------- setup
    @property
    def band_count(self) -> int:
        """Bands as the raster shows them: a paletted band shows grey (1) or red, green, blue (3)."""
        return self.dataset.count if self.palette is None else len(self.palette) - 1

    def _select_bands(self, bands: list[int] | None, need: int | None) -> list[int]:
        """The user's bands, else the first ``need`` (default: all) bands that are not alpha."""
        count = self.band_count
        if bands is None:
            from rasterio.enums import ColorInterp

            interp = self.dataset.colorinterp if self.palette is None else [ColorInterp.gray] * count
            usable = [i + 1 for i, ci in enumerate(interp) if ci != ColorInterp.alpha]
            if need and len(usable) < need:
                raise MineCDError(
                    f"{self.path}: has {len(usable)} usable band(s) but the detector needs {need}"
                )
            return usable[:need] if need else usable or [1]
        bad = [b for b in bands if b < 1 or b > count]
        if bad:
            raise MineCDError(f"{self.path}: has {count} band(s), cannot read band {','.join(map(str, bad))}")
        if need and len(bands) != need:
            raise MineCDError(
                f"{self.path}: the detector needs {need} band(s) but {len(bands)} were chosen "
                f"({','.join(map(str, bands))})"
            )
        return list(bands)

    def _align(self, own: Grid, ref: Grid) -> None:
        if not own.georeferenced or not ref.georeferenced:
            if (own.width, own.height) != (ref.width, ref.height):
                raise MineCDError(
                    f"{self.path}: without georeferencing both rasters must have the same size "
                    f"({own.width}x{own.height} vs {ref.width}x{ref.height})"
                )
            return
        offset = whole_pixel_offset(own, ref)
        if offset is not None:
            self.offset = offset
            return
        if self.is_complex:
            raise MineCDError(
                f"{self.path}: complex SAR data cannot be resampled (it would destroy the phase); "
                "co-register the SLC pair on one grid first"
            )
        from rasterio.enums import Resampling
        from rasterio.vrt import WarpedVRT

        self._vrt = WarpedVRT(
            self.dataset,
            crs=ref.crs,
            transform=ref.transform,
            width=ref.width,
            height=ref.height,
            # palette indices are labels, not values: never interpolated
            resampling=Resampling.nearest if self.palette is not None else Resampling.bilinear,
            add_alpha=True,
        )
        self.resampled = True

    def _footprint(self, own: Grid) -> Window:
        """Bounding window of this source's data on the reference grid."""
        if self._vrt is None:
            dc, dr = self.offset
            return Window(-dc, -dr, own.width, own.height)
        from rasterio.warp import transform_bounds

        bounds = transform_bounds(own.crs, self.grid.crs, *own.bounds(), densify_pts=21)
        return self.grid.window_from_bounds(bounds)

    # ---------------------------------------------------------------- reading
    @property
    def reader(self):
        return self._vrt if self._vrt is not None else self.dataset

    def read(self, window: Window) -> tuple[np.ndarray, np.ndarray]:
        """Selected bands (C,h,w) in the source dtype (complex64 for complex) and validity (h,w)."""
        data = np.zeros((len(self.bands), window.height, window.width), dtype=self.dtype)
        valid = np.zeros((window.height, window.width), dtype=bool)
        limits = self.grid.window if self._vrt is not None else self.footprint
        part = window.intersection(limits)
        if part is None:
            return data, valid
        src_window = part.shift(*self.offset).to_rasterio()
        rows, cols = part.slices(window)
        if self.palette is not None:
            ok = self._read_palette(data, rows, cols, src_window)
        else:
            kwargs = {"out_dtype": np.complex64} if self.is_complex else {}
            data[:, rows, cols] = self.reader.read(self.bands, window=src_window, **kwargs)
            ok = np.all(self.reader.read_masks(self.bands, window=src_window) > 0, axis=0)
        if data.dtype.kind in "fc":
            ok &= np.all(np.isfinite(data[:, rows, cols]), axis=0)
        valid[rows, cols] = ok
        data[:, ~valid] = 0
        self.pixels_read += part.size
        return data, valid

    def _read_palette(self, data: np.ndarray, rows, cols, src_window) -> np.ndarray:
        """The colours the palette shows for the indices (a transparent entry is no data)."""
        index = self.reader.read(1, window=src_window).astype(np.int64)
        index = np.clip(index, 0, self.palette.shape[1] - 1)
        shown = self.palette[:, index]  # (4, h, w): the shown bands, then alpha
        data[:, rows, cols] = shown[[b - 1 for b in self.bands]]
        return (self.reader.read_masks(1, window=src_window) > 0) & (shown[-1] > 0)

    def close(self) -> None:
        if self._vrt is not None:
            self._vrt.close()
        self.dataset.close()


def _palette(dataset) -> np.ndarray | None:
    """A paletted single band as what it shows: (grey, alpha) or (red, green, blue, alpha) per index."""
    from rasterio.enums import ColorInterp

    if dataset.count != 1 or dataset.colorinterp[0] != ColorInterp.palette:
        return None
    try:
        colormap = dataset.colormap(1)
    except ValueError:  # no colour table after all
        return None
    size = max(256, max(colormap) + 1)
    table = np.zeros((4, size), dtype=np.uint8)
    for index, rgba in colormap.items():
        table[:, index] = rgba
    used = table[:3, sorted(colormap)]
    grey = bool(np.all(used[0] == used[1]) and np.all(used[1] == used[2]))
    return table[[0, 3]] if grey else table


def whole_pixel_offset(own: Grid, ref: Grid) -> tuple[int, int] | None:
    """(dcol, drow) when ``own`` lines up with ``ref`` pixel for pixel, else None."""
    if own.crs != ref.crs:
        return None
    a, b = own.transform, ref.transform
    if not (
        math.isclose(a.a, b.a, rel_tol=1e-9)
        and math.isclose(a.e, b.e, rel_tol=1e-9)
        and abs(a.b) < 1e-12
        and abs(a.d) < 1e-12
        and abs(b.b) < 1e-12
        and abs(b.d) < 1e-12
    ):
        return None
    dcol = (b.c - a.c) / a.a
    drow = (b.f - a.f) / a.e
    if abs(dcol - round(dcol)) > 1e-6 or abs(drow - round(drow)) > 1e-6:
        return None
    return round(dcol), round(drow)


def is_virtual(path: str | os.PathLike) -> bool:
    """A GDAL virtual path (/vsis3/…, /vsicurl/…) or a URL: not a file on this machine's disk."""
    text = str(path)
    return text.startswith("/vsi") or "://" in text


def open_raster(path: str | os.PathLike):
    rasterio = _rasterio()
    path = str(path)
    if not os.path.exists(path) and not is_virtual(path):
        raise MineCDError(f"{path}: file not found")
    try:
        return rasterio.open(path)
    except Exception as exc:  # rasterio raises RasterioIOError with GDAL's text
        raise MineCDError(f"{path}: cannot read this file as a raster ({_short(exc)})") from None


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


class InputStack:
    """The inputs of one run on the reference grid, with the processing extent and AOI.

    ``roles`` are names such as "before", "after", "coherence"; the first one is the reference.
    """

    def __init__(
        self,
        paths: dict[str, str | os.PathLike],
        bands: dict[str, list[int] | None] | None = None,
        aoi: str | None = None,
        band_count: dict[str, int | None] | None = None,
    ):
        bands = bands or {}
        band_count = band_count or {}
        self.sources: dict[str, Source] = {}
        try:
            reference = None
            for role, path in paths.items():
                dataset = open_raster(path)
                try:
                    source = Source(
                        str(path), role, dataset, bands.get(role), reference, band_count.get(role)
                    )
                except BaseException:
                    dataset.close()
                    raise
                self.sources[role] = source
                reference = reference or source.grid
            self.grid: Grid = reference
            self.data_window = self._intersect_footprints()
            self.aoi_geometries = None
            self.extent = self._apply_aoi(aoi)
        except BaseException:
            self.close()
            raise

    @property
    def roles(self) -> list[str]:
        return list(self.sources)

    def source(self, role: str) -> Source:
        return self.sources[role]

    def _intersect_footprints(self) -> Window:
        reference, *others = self.sources.values()
        window = self.grid.window
        for source in others:
            window = window.intersection(source.footprint)
            if window is None:
                raise MineCDError(f"{source.path}: does not overlap {reference.path}")
        return window

    def _apply_aoi(self, aoi: str | None) -> Window:
        if not aoi:
            return self.data_window
        from .vector import bounds_of, parse_bbox, read_polygons

        looks_like_bbox = aoi.count(",") == 3 and not os.path.exists(aoi)
        if looks_like_bbox:
            bounds, crs = parse_bbox(aoi)
            if crs and self.grid.georeferenced:
                from rasterio.crs import CRS
                from rasterio.warp import transform_bounds

                bounds = transform_bounds(CRS.from_user_input(crs), self.grid.crs, *bounds)
        else:
            self.aoi_geometries = read_polygons(aoi, self.grid.crs_wkt())
            bounds = bounds_of(self.aoi_geometries)
        window = self.grid.window_from_bounds(bounds).intersection(self.data_window)
        if window is None:
            raise MineCDError(f"AOI {aoi}: does not overlap the rasters' common area")
        return window

    def read(self, window: Window) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Every input's data on ``window`` and the pixels valid in all of them."""
        arrays, valid = {}, None
        inside = np.zeros((window.height, window.width), dtype=bool)
        part = window.intersection(self.data_window)
        if part is not None:
            inside[part.slices(window)] = True
        for role, source in self.sources.items():
            arrays[role], ok = source.read(window)
            valid = ok if valid is None else valid & ok
        valid &= inside
        for data in arrays.values():
            data[:, ~valid] = 0
        return arrays, valid

    def aoi_mask(self, window: Window) -> np.ndarray | None:
        """Pixels of ``window`` inside the AOI polygons (None: no polygon AOI, all inside)."""
        if self.aoi_geometries is None:
            return None
        from rasterio.features import rasterize

        return rasterize(
            self.aoi_geometries,
            out_shape=(window.height, window.width),
            transform=self.grid.window_transform(window),
            fill=0,
            default_value=1,
            dtype="uint8",
        ).astype(bool)

    @property
    def pixels_read(self) -> int:
        return sum(s.pixels_read for s in self.sources.values())

    def close(self) -> None:
        for source in self.sources.values():
            source.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
