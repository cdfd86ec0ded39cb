"""The network as inference runs it: prepared inputs (by name, in order) -> P(change).

One ``torch.nn.Module`` serves the PyTorch runner and the ONNX export, so both compute the same
thing. Imported only where torch is.
"""

from __future__ import annotations

from torch import nn


class ProbabilityModule(nn.Module):
    """``adapter.probability(adapter.forward(model, inputs, **options))`` with positional inputs."""

    def __init__(self, adapter, model, names: tuple[str, ...], **options):
        super().__init__()
        self.adapter = adapter
        self.model = model
        self.names = tuple(names)
        self.options = options

    def forward(self, *tensors):
        output = self.adapter.forward(self.model, dict(zip(self.names, tensors)), **self.options)
        return self.adapter.probability(output)
