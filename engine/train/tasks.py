"""What the trainer needs to know about each architecture: inputs, loss, probability."""

from __future__ import annotations

from .augment import AugmentConfig, augment


class InsinetTask:
    name = "insinet"

    def __init__(self, context: bool, augment_config: AugmentConfig | None = None, aux_weight: float = 0.4):
        self.context = context
        self.augment_config = augment_config or AugmentConfig()
        self.aux_weight = aux_weight

    def augment(self, batch: dict, generator) -> dict:
        return augment(batch, self.augment_config, generator)

    def forward(self, model, batch: dict):
        return model(batch["before"], batch["after"], batch.get("before_context"), batch.get("after_context"))

    def loss(self, output, labels):
        from ..models.insinet import change_loss

        return change_loss(output, labels, self.aux_weight)

    @staticmethod
    def probability(output):
        import torch

        return torch.softmax(output["logits"].float(), dim=1)[:, 1]
