"""The engine words its messages for the command line; the dock and Processing name their fields.

Kept free of Qt so ``i18n/engine_texts.py`` can reword the engine's templates with it too.
"""

from __future__ import annotations

import re

CLI_WORDS = (
    (re.compile(r"\(COHERENCE / --coherence\)"), "(the Coherence layer)"),
    (re.compile(r"--bands ([\d,]+|\{\d+\})"), r"Bands \1"),
    (re.compile(r"or --init none"), "or start from scratch"),
    (re.compile(r"--init "), "Start from "),
    (re.compile(r"--minutes"), "the time budget"),
)


def for_the_gui(text: str) -> str:
    for pattern, words in CLI_WORDS:
        text = pattern.sub(words, text)
    return text
