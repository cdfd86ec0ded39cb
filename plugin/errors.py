"""What the user reads when the engine stops: one text per kind of engine error, for every front door."""

from __future__ import annotations

from .cli_words import for_the_gui
from .i18n import tr


def engine_error_message(exc: BaseException) -> str | None:
    """The message for an error the engine raised on purpose; None for anything else (a bug).

    A :class:`MineCDError` explains itself in one sentence; a cancelled run wrote nothing; an
    ImportError means a Python package is missing, which the panel can install.
    """
    from ..engine.errors import Cancelled, MineCDError

    if isinstance(exc, MineCDError):
        from .messages import error_text

        return error_text(for_the_gui(str(exc)))
    if isinstance(exc, Cancelled):
        return tr("Cancelled: no output was written.")
    if isinstance(exc, ImportError):
        return tr(
            "A Python package MineCD needs is missing ({}). "
            "Run 'Check environment' or install it from the MineCD panel."
        ).format(exc.name)
    return None
