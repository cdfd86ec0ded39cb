"""Exceptions the engine raises on purpose."""


class MineCDError(Exception):
    """A problem with the user's input, explained in one sentence that names the file."""


class Cancelled(Exception):
    """The run was cancelled through its cancel token."""
