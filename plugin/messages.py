"""The engine's progress texts (plain English, the engine has no Qt) in the user's language."""

from __future__ import annotations

import re

from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from .engine_texts import TEMPLATES
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
    QT_TRANSLATE_NOOP("@default", "jobs"),
    QT_TRANSLATE_NOOP("@default", "licences"),
)
# (engine pattern, translatable template with the captured values in order)
PATTERNS = (
    (re.compile(r"^tile (\d+)/(\d+)$"), QT_TRANSLATE_NOOP("@default", "tile {}/{}")),
    (re.compile(r"^job (\d+)/(\d+)$"), QT_TRANSLATE_NOOP("@default", "job {}/{}")),
    (re.compile(r"^period (\d+)/(\d+)$"), QT_TRANSLATE_NOOP("@default", "period {}/{}")),
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
            try:
                return tr(template).format(*match.groups())
            except (IndexError, KeyError, ValueError):  # a translation with broken fields
                return message
    return message


def _pattern(template: str) -> re.Pattern:
    """A regex matching what ``template`` (numbered fields, doubled braces) gives once filled."""
    pieces = re.split(r"(\{\d+\})", template)
    regex = "".join(
        "(.+?)" if re.fullmatch(r"\{\d+\}", piece) else re.escape(piece.replace("{{", "{").replace("}}", "}"))
        for piece in pieces
    )
    return re.compile(f"^{regex}$", re.DOTALL)


def _literal_length(template: str) -> int:
    return len(re.sub(r"\{\d+\}", "", template))


# every engine error sentence (generated from the engine's source), the most specific first
ERRORS = tuple(
    (_pattern(template), template) for template in sorted(TEMPLATES, key=_literal_length, reverse=True)
)


def error_text(message: str) -> str:
    """An engine error (worded for the GUI) in the user's language; as it is when not known."""
    return _translated(message, ERRORS)
