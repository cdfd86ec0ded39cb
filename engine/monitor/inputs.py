"""The series: images with their dates (given, in the file names, or in GDAL metadata), in order."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import MineCDError
from ..raster import is_virtual

_IN_NAME = re.compile(r"(?<!\d)(\d{4})[-_]?(\d{2})[-_]?(\d{2})(?!\d)")
_METADATA_KEYS = ("ACQUISITION_DATE", "DATE_ACQUIRED", "SENSING_TIME", "TIFFTAG_DATETIME", "DATETIME")


@dataclass(frozen=True)
class Image:
    path: str
    date: dt.date


def parse_date(text: str, where: str) -> dt.date:
    match = _IN_NAME.search(str(text).replace(":", "-"))
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise MineCDError(f"{where}: '{text}' is not a date such as 2021-07-01")


def date_in_name(path: str) -> dt.date | None:
    """The date a file name carries (2021-07-01.tif, S2_20210701.tif), or None."""
    match = _IN_NAME.search(Path(path).stem)
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    return None


def _date_of(path: str) -> dt.date | None:
    named = date_in_name(path)
    if named is not None or _IN_NAME.search(Path(path).stem):
        return named
    import rasterio

    try:
        with rasterio.open(path) as ds:
            tags = ds.tags()
    except Exception:
        return None
    for key in _METADATA_KEYS:
        if tags.get(key):
            try:
                return parse_date(tags[key], path)
            except MineCDError:
                continue
    return None


def series(images: list[str], dates: list[str] | None = None) -> list[Image]:
    """The images with their dates, checked: at least 2, existing, dated, in order, no date twice."""
    if len(images) < 2:
        raise MineCDError(f"monitoring needs at least 2 images of the area, not {len(images)}")
    if dates and len(dates) != len(images):
        raise MineCDError(f"{len(dates)} dates for {len(images)} images: give one date per image")
    out = []
    for i, path in enumerate(images):
        if not Path(path).exists() and not is_virtual(path):
            raise MineCDError(f"{path}: file not found")
        date = parse_date(dates[i], "--dates") if dates else _date_of(str(path))
        if date is None:
            raise MineCDError(
                f"{path}: no date: name the file after it (e.g. 2021-07-01.tif), give --dates, "
                "or set ACQUISITION_DATE in its metadata"
            )
        out.append(Image(str(path), date))
    for earlier, later in zip(out, out[1:]):
        if later.date == earlier.date:
            raise MineCDError(f"{earlier.path} and {later.path} have the same date {later.date}")
        if later.date < earlier.date:
            raise MineCDError(
                f"the images are not in date order: {later.path} ({later.date}) comes after "
                f"{earlier.path} ({earlier.date}); list them from the earliest"
            )
    return out
