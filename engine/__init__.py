"""MineCD engine: change detection for open-pit mines, free of QGIS and Qt.

Usable headless (``python -m engine ...``) and from the QGIS plugin. Heavy
dependencies (torch) are imported lazily by the modules that need them.
"""

__version__ = "0.3.0"

import warnings as _warnings

# Inference flushes denormal numbers to zero (eager PyTorch ran up to 10x slower on them); numpy
# then notes, harmlessly, that float64's smallest subnormal "is zero". Not a user's concern.
_warnings.filterwarnings("ignore", message="The value of the smallest subnormal", category=UserWarning)
