"""Progress reporting and cancellation shared by every long-running engine function.

Front doors wrap their own mechanisms: QgsTask.setProgress / isCanceled, QgsProcessingFeedback,
a tqdm bar on the command line.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from .errors import Cancelled

# progress(fraction in [0, 1], message)
ProgressCallback = Callable[[float, str], None]
# log(message): notable events that do not move the bar
LogCallback = Callable[[str], None]


class CancelToken:
    """Set by the front door, checked by the engine at least once per batch.

    ``check`` is an optional callable polled as well, e.g. ``QgsTask.isCanceled``.
    """

    def __init__(self, check: Callable[[], bool] | None = None):
        self._event = threading.Event()
        self._check = check

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        if not self._event.is_set() and self._check is not None and self._check():
            self._event.set()
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self.cancelled:
            raise Cancelled()


class Progress:
    """Maps the progress of one stage onto a sub-range of the overall bar.

    >>> p = Progress(callback); p.stage(0.0, 0.1, "sampling"); p.update(0.5)  # reports 0.05
    """

    def __init__(
        self,
        callback: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        log: LogCallback | None = None,
    ):
        self.callback = callback
        self.cancel = cancel or CancelToken()
        self.log = log
        self.messages: list[str] = []
        self._start, self._end, self._message = 0.0, 1.0, ""

    def stage(self, start: float, end: float, message: str) -> None:
        self._start, self._end, self._message = start, end, message
        self.update(0.0)

    def update(self, fraction: float, message: str | None = None) -> None:
        self.cancel.raise_if_cancelled()
        if self.callback is not None:
            value = self._start + (self._end - self._start) * min(max(fraction, 0.0), 1.0)
            self.callback(value, message or self._message)

    def done(self, message: str = "done") -> None:
        """Report completion (1.0), whatever stage was last."""
        self._start, self._end, self._message = 0.0, 1.0, message
        self.update(1.0)

    def info(self, message: str) -> None:
        """A notable event, kept for the summary (e.g. "CUDA out of memory, retrying on CPU")."""
        self.messages.append(message)
        if self.log is not None:
            self.log(message)
