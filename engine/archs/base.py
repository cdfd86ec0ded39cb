"""What an architecture tells the rest of MineCD: one class per architecture, one file each.

Inference (``detectors/model.py``), training (``train/``) and the command line ask the
architecture; none of them branches on its name. The parts, in the order a model lives:

* network: ``build`` the ``nn.Module`` from the checkpoint's ``model_args``; ``forward`` (a dict
  of tensors -> raw output) and ``probability`` (raw output -> P(change)), shared by inference
  and training so the two can never disagree;
* inference: ``band_count``, ``configure`` (check the inputs), ``halo``, ``fit`` (scene-level
  statistics) and ``prepare`` (a Batch -> the network's normalised numpy inputs);
* training: ``recipe`` (the paper's defaults), ``chip_maker`` (how tiles become cached chips),
  ``task`` (augmentation, forward, loss and probability for the trainer) and ``augmentation``
  (the augmentation settings with some switched off).
"""

from __future__ import annotations

IGNORE = 255  # label value of pixels without data: no loss, no metric, neutral input
UNLABELLED = 254  # imagery without a label (partial labels): no loss, no metric, input kept


def loss_labels(labels):
    """Labels as the losses see them: both kinds of unknown pixel are ignored."""
    return labels.masked_fill(labels == UNLABELLED, IGNORE)


# Augmentations a user can switch off by name (CLI --no-…); "all" switches every one off.
AUGMENTATION_SWITCHES = ("all", "flips", "swap", "jitter", "shear", "coherence_scaling")


class Architecture:
    name = ""
    kind = "optical"  # or "sar"
    recipe: dict = {}

    # ---------------------------------------------------------------- network
    def build(self, **model_args):
        raise NotImplementedError

    def example(self, bands: int, tile: int, variant: str | None = None) -> tuple:
        """(model, inputs) for counting parameters and MACs (``model-info``)."""
        raise NotImplementedError

    def forward(self, model, tensors: dict):
        raise NotImplementedError

    def probability(self, output):
        raise NotImplementedError

    def input_shapes(self, meta: dict, context_margin: int | None) -> dict[str, tuple[int, ...]]:
        """``prepare``'s arrays by name, in order, as (N, C, H, W) of a small valid example."""
        raise NotImplementedError

    def inference_options(self, meta: dict, config) -> dict:
        """Keyword arguments of ``forward`` at inference (e.g. INSINet's context scheme)."""
        return {}

    def inference_module(self, model, meta: dict, config, names: tuple[str, ...]):
        """``model`` as inference runs it: the prepared inputs ``names`` in order -> P(change)."""
        from .inference import ProbabilityModule

        return ProbabilityModule(self, model, names, **self.inference_options(meta, config))

    # ---------------------------------------------------------------- inference
    def band_count(self, meta: dict) -> dict:
        raise NotImplementedError

    def configure(self, meta: dict, stack):
        """Check the inputs; returns what ``prepare`` needs to know about them."""
        return None

    def halo(self, meta: dict, config) -> int:
        return 0

    fitted_keys: tuple[str, ...] = ()  # entries of the config that ``fit`` sets

    def fit(self, meta: dict, config, stack, grid, progress) -> None:
        return None

    def prepare(self, meta: dict, batch, config) -> dict:
        raise NotImplementedError

    # ---------------------------------------------------------------- training
    def chip_maker(self, scenes: list, options) -> tuple:
        """(chip maker, model_args, inputs) for the scenes and training options."""
        raise NotImplementedError

    def task(self, prepared, options):
        raise NotImplementedError

    def augmentation(self, off: set[str]):
        """The architecture's augmentation settings with the ``off`` switches turned off."""
        raise NotImplementedError
