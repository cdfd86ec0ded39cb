"""Styles for the layers Processing loads at the end of a run (dialog, modeler, batch).

Processing does not read the ``.qml`` beside an output when it loads it, so each output gets a
layer post-processor with MineCD's style; the sidecars stay for ``qgis_process`` and for files
opened later.
"""

from __future__ import annotations

from qgis.core import QgsProcessingLayerPostProcessorInterface

from ..styling import style_layer


class StylePostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Applies one of MineCD's styles to a loaded output layer."""

    _alive: list = []  # Processing holds a C++ pointer only: keep the Python objects alive

    def __init__(self, kind: str, threshold: float | None = None):
        super().__init__()
        self.kind, self.threshold = kind, threshold

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802
        if layer is not None and layer.isValid():
            style_layer(layer, self.kind, self.threshold)

    @classmethod
    def create(cls, kind: str, threshold: float | None = None) -> StylePostProcessor:
        processor = cls(kind, threshold)
        cls._alive.append(processor)
        del cls._alive[:-64]  # a long batch does not grow without bound
        return processor


def style_when_loaded(context, path: str | None, kind: str, threshold: float | None = None) -> None:
    """Give the output at ``path`` MineCD's ``kind`` style when Processing loads it."""
    if path and context.willLoadLayerOnCompletion(path):
        details = context.layerToLoadOnCompletionDetails(path)
        details.setPostProcessor(StylePostProcessor.create(kind, threshold))
