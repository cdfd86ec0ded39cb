"""Mine monitoring: a series of images, mining-licence polygons, changes per period and licence.

``run.monitor`` detects changes on each consecutive pair with the engine's own detection (in this
process or on Dask), then ``overlay`` sets every change against the licences (inside, outside,
crossing the boundary) and ``store`` writes one GeoPackage and the first-change-date raster.
"""
