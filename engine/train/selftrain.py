"""Pseudo-labelling inside one partly labelled pair (``train --pseudo``).

The unlabelled part of the user's own pair is the natural unlabelled set: a teacher adapts on
the labels; it predicts the pair's unlabelled pixels; the patches it is confident about (the
selection of ``pseudo.py``: more than q of their unlabelled pixels with P > c or P < 1 − c, at
most as many as there are training chips) join the training chips with labels P > 0.5, and a
student continues from the teacher on both. The user's labelled pixels never take a pseudo-
label; validation stays on the held-out labels only, and the teacher competes there as the
student's "epoch 0", so pseudo-labels never give a model that validates worse. With a time
budget the teacher gets ``TEACHER_SHARE`` of it and the student the rest.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from .dataset import build_chips
from .init import Init
from .pseudo import combined_cache, keep_the_teacher, label_pool

TEACHER_SHARE = 0.5


def self_train(prepared, out: Path, o, progress=None, cancel=None, log=print, q=0.9, c=0.85) -> dict:
    """Teacher on the labels, pseudo-labels on the rest of the same pairs, student from the teacher."""
    from ..archs import build_model
    from ..checkpoint import load_checkpoint
    from .run import fit

    out = Path(out)
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="minecd-selftrain-", dir=out.parent))

    def part(a, b):
        return (lambda f, m: progress(a + (b - a) * f, m)) if progress else None

    try:
        log("teacher: adapting on the labelled pixels")
        teacher = work / "teacher.pt"
        teacher_o = replace(o, minutes=o.minutes * TEACHER_SHARE) if o.minutes else o
        teacher_result = fit(prepared, teacher, teacher_o, part(0.0, 0.45), cancel, log)
        ckpt = load_checkpoint(teacher)
        model = build_model(ckpt)
        spec = replace(prepared.spec, overlap=False)
        build_chips(
            prepared.scenes,
            spec,
            prepared.maker,
            work / "unlabelled",
            part(0.45, 0.5),
            labelled=False,
            stats=prepared.summary["normalisation"],
        )
        pool, keep, labels, valid = label_pool(prepared, o, model, work / "unlabelled", q, c)
        limit = len(prepared.chips["train"])
        log(f"pseudo-labels: kept {len(keep)} of {len(pool)} patches of the unlabelled part (<= {limit})")
        info = {
            "init": prepared.init.name if prepared.init else None,
            "pseudo_labelling": {
                "unlabelled": "the unlabelled part of the training pairs",
                "candidates": len(pool),
                "kept": int(len(keep)),
                "pseudo_labelled_pixels": int(valid[keep].sum()) if len(keep) else 0,
                "q": q,
                "c": c,
                "minutes": o.minutes,  # the whole budget (the trainer's config holds each part's)
                "teacher_validation": teacher_result["metrics"].get("validation"),
            },
        }
        if not len(keep):
            log("student: no patch kept, so the teacher is the model")
            keep_the_teacher(teacher, ckpt, model, out, info)
            return {**teacher_result, "checkpoint": str(out), "history": str(out.with_suffix(".csv")), **info}
        chips = combined_cache(prepared.cache, work / "unlabelled", keep, labels, work / "combined")
        student = replace(prepared, init=Init("teacher", ckpt))
        left = o.minutes - (time.perf_counter() - started) / 60 if o.minutes else None
        student_o = replace(o, minutes=max(left, 0.01)) if o.minutes else o  # at least one batch
        log("student: continuing from the teacher on labelled + pseudo-labelled patches")
        result = fit(student, out, student_o, part(0.5, 1.0), cancel, log, chips=chips, extra_training=info)
        return {**result, **info}
    finally:
        shutil.rmtree(work, ignore_errors=True)
