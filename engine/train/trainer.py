"""The trainer shared by every model: epochs over cached chips, validation F1, checkpoints.

Keeps the checkpoint with the best validation F1 (ties broken by the lower validation loss;
written atomically, so a cancelled run still leaves the best model so far), stops early after
``patience`` epochs without improvement (never before a step schedule's learning-rate drop),
can resume from its last state, logs each epoch to CSV and plots the curves. CUDA with mixed
precision when available, all CPU cores otherwise. Cancellable through the engine's token.

Without validation chips (a few labels on one scene) the model is chosen, and stopped, on its
training loss. With them and ``calibrate``, the chosen model's decision threshold is the one
that gives the best validation F1 (stored in the checkpoint, used by detection), when the
validation pixels hold enough change to choose it; 0.5 otherwise. ``minutes`` is a wall-time
budget: the run stops within one batch of it, with the best checkpoint so far.
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..archs.base import loss_labels
from ..checkpoint import save_checkpoint
from ..metrics import Confusion
from ..progress import CancelToken, Progress
from ..torch_runner import configure_cpu_threads, resolve_device
from .dataset import ChipSet
from .labels import labelled_pixels


@dataclass
class TrainConfig:
    epochs: int = 200
    batch: int = 8
    lr: float = 1e-3
    optimizer: str = "adam"  # adam | adamw
    weight_decay: float = 0.0
    betas: tuple[float, float] = (0.9, 0.999)
    lr_drop_at: float | None = None  # fraction of the epochs after which the LR is multiplied by 0.1
    cosine: bool = False  # LR from lr down to 0 along half a cosine over the epochs (no step drop)
    patience: int = 20
    seed: int = 0
    device: str = "auto"
    balanced: bool = False  # drop change-free training chips until about half contain change
    steps_per_epoch: int | None = None  # cap (quick runs); None = every training chip once
    threshold: float = 0.5
    minutes: float | None = None  # wall-time budget
    from_model: bool = False  # weights from --init: they compete as "epoch 0"
    calibrate: bool = False  # choose the decision threshold on the validation pixels


# The threshold is chosen only when validation holds this many change pixels (else 0.5), among
# these candidates; a tie goes to the one nearest 0.5.
MIN_CHANGE_PIXELS_TO_CALIBRATE = 200
THRESHOLD_CANDIDATES = np.round(np.arange(0.1, 0.91, 0.05), 2)


class Trainer:
    def __init__(
        self,
        task,
        model,
        data: dict[str, ChipSet],
        config: TrainConfig,
        out: Path,
        metadata: dict,
        progress=None,
        cancel: CancelToken | None = None,
        log=print,
    ):
        import torch

        self.torch = torch
        self.task = task
        self.model = model
        self.data = data
        self.config = config
        self.out = Path(out)
        self.metadata = metadata
        self.report = Progress(progress, cancel)
        self.log = log
        self.device = resolve_device(config.device)
        self.cuda = self.device.startswith("cuda")
        torch.manual_seed(config.seed)
        np.random.seed(config.seed % 2**32)
        self.generator = torch.Generator().manual_seed(config.seed)
        if not self.cuda:
            configure_cpu_threads()
        self.model.to(self.device, memory_format=torch.channels_last)  # faster on CPU and GPU
        params = [p for p in model.parameters() if p.requires_grad]
        if config.optimizer == "adamw":
            self.optimizer = torch.optim.AdamW(
                params, lr=config.lr, betas=config.betas, weight_decay=config.weight_decay
            )
        else:
            self.optimizer = torch.optim.Adam(
                params, lr=config.lr, betas=config.betas, weight_decay=config.weight_decay
            )
        self.scaler = torch.amp.GradScaler("cuda", enabled=self.cuda)
        self.history: list[dict] = []
        self.best_f1, self.best_epoch, self.start_epoch = -1.0, -1, 0
        self.best_loss = float("inf")
        self.validated = len(data.get("val") or ()) > 0
        self.deadline = None
        self.csv_path = self.out.with_suffix(".csv")
        self.state_path = self.out.with_suffix(".state.pt")

    # ---------------------------------------------------------------- helpers
    def _autocast(self):
        if self.cuda:
            return self.torch.autocast("cuda", dtype=self.torch.float16)
        return contextlib.nullcontext()

    def _batch(self, chips: ChipSet, index: np.ndarray) -> dict:
        torch = self.torch
        order = np.sort(index)  # memmap reads in file order
        batch = {
            role: torch.from_numpy(np.asarray(chips.arrays[role][order], dtype=np.float32))
            for role in chips.roles
        }
        batch["labels"] = torch.from_numpy(np.asarray(chips.labels[order], dtype=np.int64))
        return batch

    def _to_device(self, batch: dict) -> dict:
        out = {}
        for k, v in batch.items():
            v = v.to(self.device, non_blocking=self.cuda)
            if v.ndim == 4:
                v = v.contiguous(memory_format=self.torch.channels_last)
            out[k] = v
        return out

    def _training_indices(self) -> np.ndarray:
        chips = self.data["train"]
        rng = np.random.default_rng([self.config.seed, len(self.history)])
        index = np.arange(len(chips))
        if self.config.balanced:
            index = balanced_indices(chips.change_fraction(), rng)
        index = rng.permutation(index)
        if self.config.steps_per_epoch:
            index = index[: self.config.steps_per_epoch * self.config.batch]
        return index

    def _time_up(self) -> bool:
        return self.deadline is not None and time.perf_counter() >= self.deadline

    def _left(self) -> str:
        if self.deadline is None:
            return ""
        left = max(0.0, self.deadline - time.perf_counter())
        return f", {int(left // 60)}:{int(left % 60):02d} left"

    def _done(self, epoch: int, fraction: float) -> float:
        done = (epoch - self.start_epoch + fraction) / max(1, self.config.epochs - self.start_epoch)
        if self.deadline is not None:
            budget = self.config.minutes * 60
            done = max(done, 1 - (self.deadline - time.perf_counter()) / budget)
        return min(1.0, done)

    def _lr_for(self, epoch: int) -> float:
        return learning_rate(self.config, epoch)

    # ---------------------------------------------------------------- loops
    def train_epoch(self, epoch: int) -> float:
        self.model.train()
        for group in self.optimizer.param_groups:
            group["lr"] = self._lr_for(epoch)
        index = self._training_indices()
        batches = [index[i : i + self.config.batch] for i in range(0, len(index), self.config.batch)]
        losses = []
        for b, idx in enumerate(batches):
            self.report.cancel.raise_if_cancelled()
            if b and self._time_up():
                break
            batch = self.task.augment(self._batch(self.data["train"], idx), self.generator)
            batch = self._to_device(batch)
            self.optimizer.zero_grad(set_to_none=True)
            with self._autocast():
                output = self.task.forward(self.model, batch)
                loss = self.task.loss(output, loss_labels(batch["labels"]))
            self.scaler.scale(loss).backward()
            self.scaler.step(self.optimizer)
            self.scaler.update()
            losses.append(float(loss.detach()))
            message = f"epoch {epoch + 1} loss {np.mean(losses):.4f}{self._left()}"
            self.report.update(self._done(epoch, (b + 1) / len(batches)), message)
        return float(np.mean(losses)) if losses else float("nan")

    def evaluate(self, split: str, histogram: ProbabilityHistogram | None = None) -> dict:
        """Loss and metrics over a whole split (one confusion matrix); fills ``histogram``."""
        torch = self.torch
        chips = self.data[split]
        self.model.eval()
        confusion, losses = Confusion(), []
        with torch.no_grad():
            for i in range(0, len(chips), self.config.batch):
                self.report.cancel.raise_if_cancelled()
                batch = self._to_device(
                    self._batch(chips, np.arange(i, min(i + self.config.batch, len(chips))))
                )
                with self._autocast():
                    output = self.task.forward(self.model, batch)
                    losses.append(float(self.task.loss(output, loss_labels(batch["labels"]))))
                prob = self.task.probability(output).float().cpu().numpy()
                labels = batch["labels"].cpu().numpy()
                confusion.add(prob >= self.config.threshold, labels == 1, labelled_pixels(labels))
                if histogram is not None:
                    histogram.add(prob, labels)
        metrics = confusion.metrics()
        metrics["loss"] = float(np.mean(losses)) if losses else float("nan")
        return metrics

    def fit(self, resume: bool = False) -> dict:
        if resume:
            self._load_state()
        started = time.perf_counter()
        if self.config.minutes:
            self.deadline = started + 60 * self.config.minutes
        epoch = self.start_epoch
        if self.config.from_model and self.validated and self.start_epoch == 0:
            self._score_start_model()
        for epoch in range(self.start_epoch, self.config.epochs):
            t0 = time.perf_counter()
            train_loss = self.train_epoch(epoch)
            val = self.evaluate("val") if self.validated else _unvalidated(train_loss)
            row = {"epoch": epoch + 1, "train_loss": train_loss}
            row.update({f"val_{k}": val[k] for k in ("loss", "precision", "recall", "f1", "iou")})
            if not self.validated:
                row.update(val_loss=float("nan"), val_f1=float("nan"))
            row.update(lr=self._lr_for(epoch), seconds=round(time.perf_counter() - t0, 1))
            self.history.append(row)
            # F1 first; on a tie (e.g. still 0 while the minority class is being learnt) a lower
            # validation loss is progress too, so early stopping does not end a run that learns.
            f1, loss = val["f1"], val["loss"]
            improved = f1 > self.best_f1 or (f1 == self.best_f1 and loss < self.best_loss)
            if improved:
                self.best_f1, self.best_loss, self.best_epoch = val["f1"], val["loss"], epoch + 1
                chosen_on = (
                    {"validation": _rounded(val)} if self.validated else {"train_loss": round(loss, 5)}
                )
                self._save_best({**chosen_on, "best_epoch": self.best_epoch})
            self._write_history()
            self._save_state(epoch + 1)
            score = f", val F1 {val['f1']:.4f}" if self.validated else ""
            self.log(
                f"epoch {epoch + 1}: loss {train_loss:.4f}{score}"
                f"{' (best)' if improved else ''}, {row['seconds']:.0f} s{self._left()}"
            )
            if self._time_up():
                self.log(f"time budget of {self.config.minutes:g} min reached: keeping the best model so far")
                break
            if early_stop_due(epoch + 1, self.best_epoch, self.config):
                what = "validation F1 or loss" if self.validated else "training loss"
                self.log(f"early stop: no better {what} for {self.config.patience} epochs")
                break
        return self.finish(time.perf_counter() - started)

    def _score_start_model(self) -> None:
        """The start model is a candidate too: adapting never ends worse on validation than it."""
        val = self.evaluate("val")
        self.best_f1, self.best_loss, self.best_epoch = val["f1"], val["loss"], 0
        self._save_best({"validation": _rounded(val), "best_epoch": 0})
        self.log(f"start model: val F1 {val['f1']:.4f}")

    def finish(self, seconds: float) -> dict:
        """Reload the best weights, measure the test split, store the metrics in the checkpoint."""
        from ..checkpoint import load_checkpoint

        best = load_checkpoint(self.out)
        self.model.load_state_dict(best.state_dict)
        self.model.to(self.device, memory_format=self.torch.channels_last)
        metrics = dict(best.metadata.get("metrics", {}))
        threshold = self._choose_threshold(metrics) if self.validated and self.config.calibrate else 0.5
        self.metadata["threshold"] = threshold
        if len(self.data.get("test") or ()):
            metrics["test"] = _rounded(self.evaluate("test"))
        self._save_best(metrics, training_seconds=round(seconds, 1))
        return {
            "checkpoint": str(self.out),
            "best_epoch": self.best_epoch,
            "metrics": metrics,
            "history": str(self.csv_path),
        }

    def _choose_threshold(self, metrics: dict) -> float:
        """The threshold with the best validation F1 (0.5 when validation holds too little change)."""
        histogram = ProbabilityHistogram()
        self.evaluate("val", histogram)
        if histogram.change_pixels < MIN_CHANGE_PIXELS_TO_CALIBRATE:
            self.log(
                f"decision threshold 0.5: validation holds {histogram.change_pixels} change pixels, "
                f"too few to choose one (at least {MIN_CHANGE_PIXELS_TO_CALIBRATE})"
            )
            return 0.5
        scores = {float(t): histogram.f1_at(t) for t in THRESHOLD_CANDIDATES}
        threshold = max(scores, key=lambda t: (round(scores[t], 6), -abs(t - 0.5)))
        metrics["threshold"] = {
            "value": threshold,
            "chosen_on": "validation F1",
            "validation_f1": round(scores[threshold], 5),
            "validation_f1_at_0.5": round(scores[0.5], 5),
        }
        self.log(
            f"decision threshold {threshold:.2f}: validation F1 {scores[threshold]:.4f} "
            f"(at 0.5: {scores[0.5]:.4f})"
        )
        return threshold

    # ---------------------------------------------------------------- files
    def _save_best(self, metrics: dict, **training_extra) -> None:
        meta = json.loads(json.dumps(self.metadata))
        meta["metrics"] = metrics
        meta.setdefault("training", {}).update(
            {"config": _config_dict(self.config), "epochs_run": len(self.history), **training_extra}
        )
        save_checkpoint(self.out, self.model, meta)

    def _write_history(self) -> None:
        with open(self.csv_path, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(self.history[0]))
            writer.writeheader()
            writer.writerows(self.history)
        plot_history(self.history, self.out.with_suffix(".png"))

    def _save_state(self, next_epoch: int) -> None:
        torch = self.torch
        state = {
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "next_epoch": next_epoch,
            "best_f1": self.best_f1,
            "best_loss": self.best_loss,
            "best_epoch": self.best_epoch,
            "generator": self.generator.get_state(),
            "history_json": json.dumps(self.history),
        }
        tmp = self.state_path.with_suffix(".part")
        torch.save(state, tmp)
        tmp.replace(self.state_path)

    def _load_state(self) -> None:
        if not self.state_path.exists():
            self.log(f"no training state at {self.state_path}: starting from scratch")
            return
        state = self.torch.load(self.state_path, map_location="cpu", weights_only=True)
        self.model.load_state_dict(state["model"])
        self.model.to(self.device, memory_format=self.torch.channels_last)
        self.optimizer.load_state_dict(state["optimizer"])
        self.start_epoch = int(state["next_epoch"])
        self.best_f1, self.best_epoch = float(state["best_f1"]), int(state["best_epoch"])
        self.best_loss = float(state.get("best_loss", float("inf")))
        self.generator.set_state(state["generator"])
        self.history = json.loads(state["history_json"])
        self.log(f"resuming at epoch {self.start_epoch + 1} (best validation F1 {self.best_f1:.4f})")


class ProbabilityHistogram:
    """Labelled pixels counted by probability bin and class: F1 at any threshold, little memory."""

    BINS = 1000

    def __init__(self):
        self.counts = np.zeros((2, self.BINS), dtype=np.int64)

    def add(self, prob: np.ndarray, labels: np.ndarray) -> None:
        known = labelled_pixels(labels)
        bins = np.clip((prob[known] * self.BINS).astype(np.int64), 0, self.BINS - 1)
        change = labels[known] == 1
        self.counts[1] += np.bincount(bins[change], minlength=self.BINS)
        self.counts[0] += np.bincount(bins[~change], minlength=self.BINS)

    @property
    def change_pixels(self) -> int:
        return int(self.counts[1].sum())

    def f1_at(self, threshold: float) -> float:
        first = int(round(threshold * self.BINS))  # prob >= threshold
        tp, fp = self.counts[1, first:].sum(), self.counts[0, first:].sum()
        fn = self.counts[1, :first].sum()
        return float(2 * tp / (2 * tp + fp + fn)) if tp else 0.0


def _unvalidated(train_loss: float) -> dict:
    """What stands for validation without validation chips: the training loss, no F1."""
    nan = float("nan")
    return {"loss": train_loss, "f1": -1.0, "precision": nan, "recall": nan, "iou": nan}


def early_stop_due(epochs_done: int, best_epoch: int, config: TrainConfig) -> bool:
    """``patience`` epochs without progress; a step schedule first gets its low-LR phase.

    Stopping before the learning-rate drop would cut the recipe's fine-tuning phase (the SAR
    paper: x0.1 at 90 % of the epochs), so patience counts from the drop at the earliest.
    """
    drop = last_full_rate_epoch(config)
    since = best_epoch if drop is None else max(best_epoch, drop)
    return epochs_done - since >= config.patience


def learning_rate(config: TrainConfig, epoch: int) -> float:
    """The schedule: constant, a x0.1 step at ``lr_drop_at``, or a cosine decay over the epochs."""
    if config.cosine:
        return config.lr * 0.5 * (1 + math.cos(math.pi * epoch / max(1, config.epochs)))
    drop = last_full_rate_epoch(config)
    return config.lr * (0.1 if drop is not None and epoch >= drop else 1.0)


def last_full_rate_epoch(config: TrainConfig) -> int | None:
    """Epochs run at the full learning rate before a step schedule's x0.1 (None: no drop)."""
    return None if config.lr_drop_at is None else int(config.lr_drop_at * config.epochs)


def balanced_indices(
    change_fraction: np.ndarray, rng: np.random.Generator, target: float = 0.5
) -> np.ndarray:
    """All chips with change, and only as many change-free chips as keeps ~``target`` with change."""
    with_change = np.flatnonzero(change_fraction > 0)
    without = np.flatnonzero(change_fraction == 0)
    keep = int(round(len(with_change) * (1 - target) / target)) if len(with_change) else len(without)
    keep = min(len(without), keep)
    return np.concatenate([with_change, rng.choice(without, keep, replace=False)]) if keep else with_change


def plot_history(history: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    epochs = [h["epoch"] for h in history]
    fig, (a, b) = plt.subplots(1, 2, figsize=(9, 3.5), dpi=90)
    a.plot(epochs, [h["train_loss"] for h in history], label="train")
    a.plot(epochs, [h["val_loss"] for h in history], label="validation")
    a.set_title("loss")
    a.set_xlabel("epoch")
    a.legend()
    for key, name in (("val_f1", "F1"), ("val_precision", "precision"), ("val_recall", "recall")):
        b.plot(epochs, [h[key] for h in history], label=name)
    b.set_title("validation")
    b.set_xlabel("epoch")
    b.set_ylim(0, 1)
    b.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _rounded(metrics: dict) -> dict:
    return {k: (round(v, 5) if isinstance(v, float) else v) for k, v in metrics.items()}


def _config_dict(config: TrainConfig) -> dict:
    d = asdict(config)
    d["betas"] = list(config.betas)
    return d
