"""Streaming tiles through a job: read ahead in a background thread, batch, write, commit or abort.

One driver for every tile job (detection, coherence): ``stream`` yields items read by a
background thread (I/O overlaps compute), checks cancel and reports "tile i/n" progress;
``Outputs`` renames every output into place only when the whole job succeeded.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator

from .raster import gdal_env
from .tiling import Batch, TileReader
from .writer import RasterWriter

_END = object()


class _Failure:
    def __init__(self, exc: BaseException):
        self.exc = exc


def prefetch(items: Iterable, depth: int = 2) -> Iterator:
    """Iterate ``items`` produced by a background thread, at most ``depth`` ahead."""
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce():
        try:
            with gdal_env():
                for item in items:
                    if not put(item):
                        return
        except BaseException as exc:  # handed to the consumer, re-raised there
            put(_Failure(exc))
        finally:
            put(_END)

    thread = threading.Thread(target=produce, name="minecd-reader", daemon=True)
    thread.start()
    try:
        while True:
            item = q.get()
            if item is _END:
                return
            if isinstance(item, _Failure):
                raise item.exc
            yield item
    finally:
        stop.set()
        thread.join()


def batches(reader: TileReader, size: int) -> Iterator[Batch]:
    pending = []
    for sample in reader:
        pending.append(sample)
        if len(pending) == size:
            yield Batch.of(pending)
            pending = []
    if pending:
        yield Batch.of(pending)


def stream(items: Iterable, total: int, report, count: Callable[[object], int] = lambda item: 1) -> Iterator:
    """Prefetched ``items``; cancel is checked before each, "tile i/total" reported after each.

    ``count``: tiles in one item (a batch holds several).
    """
    done = 0
    for item in prefetch(items):
        report.cancel.raise_if_cancelled()
        yield item
        done += count(item)
        report.update(done / total, f"tile {done}/{total}")


class Outputs:
    """Rasters of one job: all renamed into place by ``commit``, all removed if the job fails."""

    def __init__(self):
        self.writers: list[tuple[RasterWriter, str]] = []

    def add(self, writer: RasterWriter, overview_resampling: str) -> RasterWriter:
        self.writers.append((writer, overview_resampling))
        return writer

    def commit(self) -> None:
        for writer, resampling in self.writers:
            writer.commit(resampling)

    def __enter__(self) -> Outputs:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            for writer, _ in self.writers:
                writer.abort()
