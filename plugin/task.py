"""Background tasks of the dock: detection, adapting a model, installing missing Python packages.

The engine runs in QGIS's task manager (a worker thread), so the interface never blocks.
Progress text travels back through a Qt signal; cancelling sets the engine's cancel token,
which the engine checks at least once per batch.
"""

from __future__ import annotations

import subprocess
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from qgis.core import QgsMessageLog, QgsTask
from qgis.PyQt.QtCore import pyqtSignal

from .errors import engine_error_message
from .i18n import tr
from .messages import progress_text

if TYPE_CHECKING:
    from ..engine.request import DetectionRequest

LOG_TAG = "MineCD"


class EngineTask(QgsTask):
    """Runs one engine call, ``work(progress, cancel, log)``, in QGIS's task manager."""

    message = pyqtSignal(str)  # progress text (not "status": that is QgsTask.status())

    def __init__(self, description: str):
        super().__init__(description, QgsTask.Flag.CanCancel)
        self.result = None
        self.error: str | None = None
        self.details: str | None = None
        self.cancelled_by_user = False

    def work(self, progress, cancel, log):
        raise NotImplementedError

    def run(self) -> bool:
        from ..engine.errors import Cancelled
        from ..engine.progress import CancelToken

        def progress(fraction: float, message: str) -> None:
            self.setProgress(100.0 * fraction)
            self.message.emit(progress_text(message))

        def log(message: str) -> None:
            QgsMessageLog.logMessage(message, LOG_TAG)

        try:
            self.result = self.work(progress, CancelToken(check=self.isCanceled), log)
            return True
        except Cancelled:  # not a failure: ending "completed" spares the user QGIS's "Task failed"
            self.cancelled_by_user = True
            return True
        except Exception as exc:  # an unexpected one is shown as a message, the traceback in the log
            self.error = engine_error_message(exc)
            if self.error is None:
                self.error = f"{type(exc).__name__}: {exc}"
                self.details = traceback.format_exc()
        return False


class DetectionTask(EngineTask):
    """Runs ``engine.detect.run_request(request)``."""

    def __init__(self, description: str, request: DetectionRequest):
        super().__init__(description)
        self.request = request

    @property
    def summary(self) -> dict | None:
        return self.result

    def work(self, progress, cancel, log):
        from ..engine.detect import run_request  # rasterio and numpy: a missing one is a message

        return run_request(self.request, progress=progress, cancel=cancel, log=log)


class TrainingTask(EngineTask):
    """Runs ``engine.train.run.train`` (the dock's *Adapt*); the checkpoint appears when done."""

    def __init__(self, description: str, arch: str, scenes: list, out: str, options):
        super().__init__(description)
        self.arch, self.scenes, self.out, self.options = arch, scenes, out, options
        self.messages: list[str] = []

    def work(self, progress, cancel, log):
        from ..engine.train.run import train

        def keep(message: str) -> None:
            self.messages.append(message)
            log(message)

        return train(
            self.arch, self.scenes, self.out, self.options, progress=progress, cancel=cancel, log=keep
        )


class InstallTask(QgsTask):
    """pip-installs missing packages into the folder the plugin owns (already on sys.path)."""

    def __init__(self, packages: list[str], target: str, command=None, cuda: bool = False):
        super().__init__(tr("Installing Python packages for MineCD"), QgsTask.Flag.CanCancel)
        if command is None:
            from .install import constraints_text, pip_command

            constraints = Path(target).parent / "qgis-constraints.txt"
            constraints.write_text(constraints_text())
            command = pip_command(packages, target, str(constraints), cuda)
        self.command = command
        self.output = ""
        self.returncode = None

    def run(self) -> bool:
        try:
            process = subprocess.Popen(
                self.command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
            )
        except OSError as exc:
            self.output = str(exc)
            return False
        lines, steps = [], 0
        QgsMessageLog.logMessage(" ".join(self.command), LOG_TAG)
        for line in process.stdout:
            lines.append(line)
            QgsMessageLog.logMessage(line.rstrip(), LOG_TAG)
            if line.startswith(("Collecting", "Downloading", "Installing", "Successfully")):
                steps += 1
                self.setProgress(min(95.0, 100.0 * (1 - 0.9**steps)))  # pip gives no total: approach it
            if self.isCanceled():
                process.terminate()
                break
        self.returncode = process.wait()
        self.output = "".join(lines)
        return self.returncode == 0 and not self.isCanceled()
