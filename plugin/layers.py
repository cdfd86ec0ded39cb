"""QGIS layers and extents in the engine's terms: file paths and "xmin,ymin,xmax,ymax [CRS]" texts."""

from __future__ import annotations

FILE_PROVIDERS = ("gdal", "ogr")


def layer_file(layer) -> str | None:
    """The file GDAL can open behind ``layer`` (an OGR layer's "|layername=…" cut off).

    None when the layer is not a file: a web service, a memory layer, a database table.
    """
    provider = layer.providerType()
    if provider not in FILE_PROVIDERS:
        return None
    source = layer.source()
    return source.split("|")[0] if provider == "ogr" else source


def rect_aoi_text(rect, crs=None) -> str:
    """A QgsRectangle (in ``crs``, a QgsCoordinateReferenceSystem) as the engine's AOI text."""
    authid = crs.authid() if crs is not None and crs.isValid() else ""
    suffix = f" [{authid}]" if authid else ""
    return f"{rect.xMinimum()},{rect.yMinimum()},{rect.xMaximum()},{rect.yMaximum()}{suffix}"
