"""QGIS/Qt layer of MineCD: a thin front end over ``engine``."""
