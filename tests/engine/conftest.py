"""Helpers for engine tests: small real GeoTIFFs written on the fly."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import ORIGIN, UTM50, smooth_field


@pytest.fixture
def geotiff(tmp_path):
    """write(name, data (C,H,W) or (H,W), **profile overrides) -> path of a tiled GeoTIFF."""
    import rasterio
    from rasterio.transform import from_origin

    def write(name, data, crs=UTM50, transform=None, res=1.0, origin=ORIGIN, **profile):
        data = np.asarray(data)
        if data.ndim == 2:
            data = data[None]
        count, height, width = data.shape
        meta = {
            "driver": "GTiff",
            "width": width,
            "height": height,
            "count": count,
            "dtype": data.dtype.name,
            "tiled": True,
            "blockxsize": 256 if width >= 256 else 16 * max(1, width // 16),
            "blockysize": 256 if height >= 256 else 16 * max(1, height // 16),
        }
        if crs is not None:
            meta["crs"] = crs
            meta["transform"] = transform or from_origin(origin[0], origin[1], res, res)
        meta.update(profile)
        if meta["blockxsize"] < 16 or meta["blockysize"] < 16:
            meta.pop("tiled")
            meta.pop("blockxsize")
            meta.pop("blockysize")
        path = tmp_path / name
        with rasterio.open(path, "w", **meta) as dst:
            dst.write(data)
        return path

    return write


@pytest.fixture
def optical_pair(geotiff):
    """A 3-band uint8 pair (600x500) with a planted 150x200 change and a global colour shift."""
    rng = np.random.default_rng(42)
    h, w = 500, 600
    base = np.stack([smooth_field((h, w), rng) for _ in range(3)])
    before = 60 + 120 * base + rng.normal(0, 4, (3, h, w))
    after = 0.9 * before + 20 + rng.normal(0, 4, (3, h, w))  # other sensor/illumination
    truth = np.zeros((h, w), dtype=bool)
    truth[120:270, 300:500] = True
    after[:, truth] = np.array([210.0, 190.0, 170.0])[:, None] + rng.normal(0, 6, (3, int(truth.sum())))
    return (
        geotiff("before.tif", before.clip(0, 255).astype(np.uint8)),
        geotiff("after.tif", after.clip(0, 255).astype(np.uint8)),
        truth,
    )
