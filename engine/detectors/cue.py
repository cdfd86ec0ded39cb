"""A classic detector's change score as a second cue beside a network.

An adapted model may carry ``fusion = {"classic": NAME, "weights": [a, b, c]}`` in its metadata
(fitted on its validation pixels by ``engine.train.cue``): the probability it reports is then
``sigmoid(a · logit(p_network) + b · logit(p_classic) + c)``, the classic detector fitted on the
same scene as always (its own thresholds and statistics), so the cue means the same on any scene.
"""

from __future__ import annotations

import numpy as np

from ..errors import MineCDError

CUE_KEY = "__classic_cue__"  # the cue's scores travel with the prepared inputs under this key
LOGIT_LIMIT = 12.0  # logits are bounded: a saturated probability carries no more than this


def bounded_logit(prob: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(prob, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.clip(np.log(p / (1 - p)), -LOGIT_LIMIT, LOGIT_LIMIT).astype(np.float32)


def fused(network_prob: np.ndarray, cue_logit: np.ndarray, weights) -> np.ndarray:
    a, b, c = (float(w) for w in weights)
    z = a * bounded_logit(network_prob) + b * cue_logit + c
    return (1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))).astype(np.float32)


def classic_for(meta: dict, name: str):
    """The classic detector ``name`` set up for a model's inputs (SAR: its units)."""
    from . import CLASSIC

    if name not in CLASSIC:
        raise MineCDError(f"classic cue '{name}': use {', '.join(CLASSIC)}")
    options = {}
    if name == "logratio" and meta.get("inputs", {}).get("units"):
        options["units"] = meta["inputs"]["units"]
    return CLASSIC[name](**options)


class ClassicCue:
    """The classic half of a fused model: fitted per scene, scored per block, blended in."""

    def __init__(self, meta: dict, fusion: dict):
        weights = fusion.get("weights")
        if not isinstance(weights, list) or len(weights) != 3:
            raise MineCDError("model metadata: fusion weights must be a list of three numbers")
        self.name = str(fusion.get("classic"))
        self.weights = [float(w) for w in weights]
        self.detector = classic_for(meta, self.name)

    def fit(self, stack, progress) -> None:
        """Fit the classic detector on the scene exactly as it fits when run on its own (its tiles)."""
        from ..tiling import TileGrid
        from .base import plan_tiles

        plan = plan_tiles(self.detector, None, None, stack.extent)
        self.detector.fit(stack, TileGrid(stack.extent, plan.tile), progress)

    def score(self, batch) -> np.ndarray:
        """(N, H, W) bounded logit of the classic detector's probability."""
        return bounded_logit(self.detector.predict(batch))

    def blend(self, network_prob: np.ndarray, cue_logit: np.ndarray) -> np.ndarray:
        return fused(network_prob, cue_logit, self.weights)
