"""Shared behaviour of MineCD's Processing algorithms."""

from __future__ import annotations

from contextlib import contextmanager

from qgis.core import QgsProcessingAlgorithm
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..errors import engine_error_message
from ..i18n import tr
from ..layers import layer_file, rect_aoi_text
from ..messages import progress_text
from ..resources import icon

GROUPS = {
    "detection": QT_TRANSLATE_NOOP("@default", "Change detection"),
    "sar": QT_TRANSLATE_NOOP("@default", "SAR"),
    "training": QT_TRANSLATE_NOOP("@default", "Training and evaluation"),
    "tools": QT_TRANSLATE_NOOP("@default", "Tools"),
}


class MineCDAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set ``NAME``, ``DISPLAY_NAME``, ``GROUP`` and ``HELP``.

    Mark ``DISPLAY_NAME`` and ``HELP`` with ``QT_TRANSLATE_NOOP("@default", ...)`` so that
    ``make transup`` collects them.
    """

    NAME = ""
    DISPLAY_NAME = ""
    GROUP = "tools"
    HELP = ""

    def name(self):
        return self.NAME

    def displayName(self):  # noqa: N802
        return tr(self.DISPLAY_NAME)

    def group(self):
        return tr(GROUPS[self.GROUP])

    def groupId(self):  # noqa: N802
        return self.GROUP

    def shortHelpString(self):  # noqa: N802
        return tr(self.HELP)

    def icon(self):
        return icon()

    def createInstance(self):  # noqa: N802
        return type(self)()


class FeedbackBridge:
    """The engine's progress callback, cancel token and log, on a QgsProcessingFeedback."""

    def __init__(self, feedback):
        from ...engine.progress import CancelToken

        self.feedback = feedback
        self.cancel = CancelToken(check=feedback.isCanceled if feedback else None)
        self._message = None

    def progress(self, fraction: float, message: str) -> None:
        if self.feedback is None:
            return
        self.feedback.setProgress(100.0 * fraction)
        if message != self._message:
            self._message = message
            self.feedback.setProgressText(progress_text(message))

    def log(self, message: str) -> None:
        if self.feedback is not None:
            self.feedback.pushWarning(message) if hasattr(
                self.feedback, "pushWarning"
            ) else self.feedback.pushInfo(message)


@contextmanager
def engine_errors():
    """Inside, an error the engine raised on purpose becomes a QgsProcessingException with its message."""
    from qgis.core import QgsProcessingException

    try:
        yield
    except Exception as exc:
        message = engine_error_message(exc)
        if message is None:
            raise
        raise QgsProcessingException(message) from None


def run_engine(feedback, function, *args, **kwargs):
    """Call an engine function with feedback; engine errors become QgsProcessingException."""
    bridge = FeedbackBridge(feedback)
    with engine_errors():
        return function(*args, progress=bridge.progress, cancel=bridge.cancel, **kwargs)


def layer_path(algorithm, parameters, name, context, optional=False) -> str | None:
    """A raster/vector parameter as a file path GDAL can open; a clear error otherwise."""
    from qgis.core import QgsProcessingException

    layer = algorithm.parameterAsLayer(parameters, name, context)
    if layer is None:
        if optional:
            return None
        raise QgsProcessingException(tr("{}: no layer given").format(name))
    path = layer_file(layer)
    if path is None:
        raise QgsProcessingException(
            tr("{}: layer '{}' is not a file that MineCD can read").format(name, layer.name())
        )
    return path


def extent_text(algorithm, parameters, context) -> str | None:
    """The EXTENT parameter as the engine's 'xmin,ymin,xmax,ymax [CRS]' text (None if unset)."""
    if not parameters.get("EXTENT"):
        return None
    rect = algorithm.parameterAsExtent(parameters, "EXTENT", context)
    if rect.isNull() or rect.isEmpty():
        return None
    return rect_aoi_text(rect, algorithm.parameterAsExtentCrs(parameters, "EXTENT", context))
