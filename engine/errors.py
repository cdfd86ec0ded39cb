"""Exceptions the engine raises on purpose."""


class MineCDError(Exception):
    """A problem with the user's input, explained in one sentence that names the file."""


class Cancelled(Exception):
    """The run was cancelled through its cancel token."""


def unknown_architecture(name: str, known, source: str | None = None) -> MineCDError:
    """The one message for an architecture MineCD cannot build."""
    prefix = f"{source}: " if source else ""
    return MineCDError(f"{prefix}unknown architecture '{name}' (known: {', '.join(known)})")
