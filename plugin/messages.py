"""The engine's progress texts (plain English, the engine has no Qt) in the user's language."""

from __future__ import annotations

import re

from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from .i18n import tr

# the engine's fixed stage names, listed for pylupdate
STAGES = (
    QT_TRANSLATE_NOOP("@default", "opening rasters"),
    QT_TRANSLATE_NOOP("@default", "sampling the scene"),
    QT_TRANSLATE_NOOP("@default", "detecting"),
    QT_TRANSLATE_NOOP("@default", "writing overviews"),
    QT_TRANSLATE_NOOP("@default", "change polygons"),
    QT_TRANSLATE_NOOP("@default", "tracing change regions"),
    QT_TRANSLATE_NOOP("@default", "done"),
    QT_TRANSLATE_NOOP("@default", "estimating the phase ramp"),
    QT_TRANSLATE_NOOP("@default", "coherence"),
)
# (engine pattern, translatable template with the captured values in order)
PATTERNS = (
    (re.compile(r"^tile (\d+)/(\d+)$"), QT_TRANSLATE_NOOP("@default", "tile {}/{}")),
    (re.compile(r"^cutting chips (\d+)/(\d+)$"), QT_TRANSLATE_NOOP("@default", "cutting chips {}/{}")),
    (
        re.compile(r"^epoch (\d+) loss ([\d.]+|nan), (\d+:\d\d) left$"),
        QT_TRANSLATE_NOOP("@default", "epoch {} loss {}, {} left"),
    ),
    (re.compile(r"^epoch (\d+) loss ([\d.]+|nan)$"), QT_TRANSLATE_NOOP("@default", "epoch {} loss {}")),
)


def progress_text(message: str) -> str:
    """``message`` translated when the engine's wording is known; as it is otherwise."""
    if not message:
        return message
    if message in STAGES:
        return tr(message)
    return _translated(message, PATTERNS)


def _translated(message: str, patterns) -> str:
    """The first matching pattern's template, translated and filled; else ``message``."""
    for pattern, template in patterns:
        match = pattern.match(message)
        if match:
            return tr(template).format(*match.groups())
    return message


# the engine's most common complaints about input, worded for translation ({} keeps its values)
ERRORS = (
    (
        re.compile(r"^(.+): has (\d+) band\(s\), cannot read band ([\d,]+)$"),
        QT_TRANSLATE_NOOP("@default", "{}: has {} band(s), cannot read band {}"),
    ),
    (
        re.compile(r"^(.+): has (\d+) usable band\(s\) but the detector needs (\d+)$"),
        QT_TRANSLATE_NOOP("@default", "{}: has {} usable band(s) but the detector needs {}"),
    ),
    (re.compile(r"^(.+): file not found$"), QT_TRANSLATE_NOOP("@default", "{}: file not found")),
    (
        re.compile(r"^(.+): cannot read this file as a raster \((.*)\)$"),
        QT_TRANSLATE_NOOP("@default", "{}: cannot read this file as a raster ({})"),
    ),
    (re.compile(r"^(.+): does not overlap (.+)$"), QT_TRANSLATE_NOOP("@default", "{}: does not overlap {}")),
    (
        re.compile(r"^AOI (.+): does not overlap the rasters' common area$"),
        QT_TRANSLATE_NOOP("@default", "AOI {}: does not overlap the rasters' common area"),
    ),
    (
        re.compile(r"^bands: '(.*)' is not a list of band numbers such as 3,2,1$"),
        QT_TRANSLATE_NOOP("@default", "bands: '{}' is not a list of band numbers such as 3,2,1"),
    ),
    (
        re.compile(r"^log-ratio window: '(.*)' is not a number of pixels$"),
        QT_TRANSLATE_NOOP("@default", "log-ratio window: '{}' is not a number of pixels"),
    ),
)


def error_text(message: str) -> str:
    """An engine error in the user's language when its wording is known; as it is otherwise."""
    return _translated(message, ERRORS)
