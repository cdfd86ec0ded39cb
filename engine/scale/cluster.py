"""Connecting to Dask: a LocalCluster of N worker processes, or an existing scheduler.

Tasks name the engine function they run (``remote("scale.parts.detect_part")``) instead of
pickling it, so a worker runs its own installed engine (``minecd_engine``) whatever the client's
package is called (``engine`` in a checkout, ``minecd.engine`` in the QGIS plugin).
"""

from __future__ import annotations

import contextlib
import os
import pydoc
from collections.abc import Iterator

from .. import __version__
from ..errors import MineCDError

ENGINE = __package__.rpartition(".")[0]  # this engine's import name here
INSTALLED = "minecd_engine"  # the name `pip install minecd` gives it
CONNECT_TIMEOUT_S = 10


class Remote:
    """An engine function named by its path below the engine package; unpickled on a worker as
    that worker's own function (``pydoc.locate``), so no code travels."""

    def __init__(self, engine: str, name: str):
        self.dotted = f"{engine}.{name}"

    def __reduce__(self):
        return (pydoc.locate, (self.dotted,))

    def __call__(self, *args, **kwargs):
        return pydoc.locate(self.dotted)(*args, **kwargs)

    def __dask_tokenize__(self):
        return ("minecd-remote", self.dotted)


def worker_name(outside: str = "local") -> str:
    """The Dask worker's address inside a task; ``outside`` elsewhere."""
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return outside


def parse_scheduler(scheduler: str | None, workers: int | None) -> tuple[str | None, int | None]:
    """(address, local workers): ``--scheduler tcp://host:8786``, ``--workers N`` or ``local:N``."""
    text = (scheduler or "").strip()
    if text.lower().startswith("local"):
        count = text.partition(":")[2] or "0"
        if not count.isdigit():
            raise MineCDError(f"scheduler '{scheduler}': use an address such as tcp://host:8786, or local:N")
        return None, int(count) or (os.cpu_count() or 1)
    if workers is not None and workers < 1:
        raise MineCDError(f"workers {workers}: must be at least 1")
    if text and workers:
        raise MineCDError("give either a scheduler address or a number of local workers, not both")
    return text or None, workers


def wanted(scheduler: str | None, workers: int | None) -> bool:
    """True when the run goes to Dask rather than this process."""
    return bool((scheduler or "").strip()) or bool(workers)


def _require_dask():
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise MineCDError(
            "running on Dask needs dask and distributed: pip install 'minecd[dask]' "
            "(or dask and distributed at the versions in requirements.txt)"
        ) from None


@contextlib.contextmanager
def connect(scheduler: str | None = None, workers: int | None = None, log=None) -> Iterator[Cluster]:
    """A started Cluster; a local one is stopped on exit, an existing one is left running."""
    address, local = parse_scheduler(scheduler, workers)
    _require_dask()
    from distributed import Client

    cluster = None
    try:
        if address is None:
            cluster = _local_cluster(local)
            client = Client(cluster)
        else:
            client = _connect(address)
    except MineCDError:
        raise
    try:
        run = Cluster(client, address or f"a local cluster of {local} worker processes")
        if log is not None:
            log(f"Dask: {run.where}, dashboard {client.dashboard_link}")
        yield run
    finally:
        with contextlib.suppress(Exception):
            client.close(timeout=CONNECT_TIMEOUT_S)
        if cluster is not None:
            with contextlib.suppress(Exception):
                cluster.close(timeout=CONNECT_TIMEOUT_S)


def _local_cluster(workers: int):
    import multiprocessing

    import dask
    from distributed import LocalCluster

    from ..environment import python_interpreter

    multiprocessing.set_executable(python_interpreter())  # inside QGIS: not the QGIS binary
    threads = max(1, (os.cpu_count() or 1) // workers)  # the cores shared, never oversubscribed
    environ = {name: str(threads) for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")}
    # replacing Dask's whole pre-spawn environment also drops its MALLOC_TRIM_THRESHOLD_, which
    # turns off glibc's adaptive mmap threshold: every large array then costs fresh page faults
    settings = {"distributed.nanny.pre-spawn-environ": environ}
    try:
        with dask.config.set(settings):
            return LocalCluster(
                n_workers=workers,
                threads_per_worker=1,  # one task, one loaded model per worker process
                processes=True,
                dashboard_address=":0",
                silence_logs=40,  # errors only: the client reports what happens
            )
    except RuntimeError as exc:
        raise MineCDError(
            f"cannot start {workers} local Dask worker processes ({exc}); from a Python script, "
            'call MineCD under `if __name__ == "__main__":` (each worker process imports the script)'
        ) from None


def _connect(address: str):
    from distributed import Client

    try:
        return Client(address, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise MineCDError(
            f"cannot reach the Dask scheduler at {address} ({reason}): is it running, and is the "
            "address (e.g. tcp://host:8786) right?"
        ) from None


class Cluster:
    """A connected client, and the name under which its workers import MineCD's engine."""

    def __init__(self, client, where: str):
        self.client = client
        self.where = where
        self.engine = self._engine_on_workers()

    def _engine_on_workers(self) -> str:
        client = self.client
        try:
            client.wait_for_workers(1, timeout=60)
        except Exception:
            raise MineCDError(f"{self.where}: no Dask worker joined within 60 s") from None
        found = {}
        for name in dict.fromkeys([ENGINE, INSTALLED]):
            versions = client.run(pydoc.locate, f"{name}.__version__")
            found[name] = versions
            if versions and all(v == __version__ for v in versions.values()):
                # Dask's scheduler unpickles the tasks too: it needs the engine under that name
                if client.run_on_scheduler(pydoc.locate, f"{name}.__version__") is None:
                    raise MineCDError(
                        f"the Dask scheduler of {self.where} cannot import MineCD's engine: install it "
                        f"there too (pip install 'minecd[dask]=={__version__}'; Dask needs the same "
                        "packages on the client, the scheduler and the workers)"
                    )
                return name
        for versions in found.values():
            other = {w: v for w, v in versions.items() if v is not None and v != __version__}
            if other:
                worker, version = next(iter(other.items()))
                raise MineCDError(
                    f"Dask worker {worker} runs MineCD {version}, this client {__version__}: "
                    f"install the same version on the workers (pip install 'minecd[dask]=={__version__}')"
                )
        raise MineCDError(
            f"the Dask workers of {self.where} cannot import MineCD's engine: install it there "
            f"(pip install 'minecd[dask]=={__version__}')"
        )

    def remote(self, name: str) -> Remote:
        return Remote(self.engine, name)

    @property
    def workers(self) -> int:
        return len(self.client.nthreads())


def completed(futures, cancel=None, poll_s: float = 0.5):
    """Futures as they finish; ``cancel`` (a CancelToken) is checked every ``poll_s``."""
    from distributed import TimeoutError as DaskTimeout
    from distributed import wait

    pending = set(futures)
    while pending:
        if cancel is not None:
            cancel.raise_if_cancelled()
        try:
            done, pending = wait(pending, timeout=poll_s, return_when="FIRST_COMPLETED")
        except (TimeoutError, DaskTimeout):
            continue
        yield from done
