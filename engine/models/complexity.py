"""Model size and cost: parameters, and multiply-accumulates counted two ways.

``macs`` follows thop's conventions (the paper's Table II): per call of a leaf module,
convolution = output elements × C_in/groups × k_h × k_w (bias ignored); transposed convolution =
input elements × C_out/groups × k_h × k_w (each input pixel is spread once); linear = in_features ×
output elements; affine batch norm = 4 × input elements; average pooling = output elements;
adaptive average pooling = (kernel + 1) × output elements; bilinear upsampling = 11 × output
elements (nearest: 1 ×); activations = 0. ``conv_macs`` counts convolutions and linear layers
only (what ``torch.utils.flop_counter`` reports, divided by 2).
"""

from __future__ import annotations

import math

import torch
from torch import nn

UPSAMPLE_OPS = {"nearest": 1, "linear": 5, "bilinear": 11, "bicubic": 259, "trilinear": 31}


def _conv(module: nn.Conv2d, x, y) -> int:
    kernel = math.prod(module.kernel_size)
    return y.numel() * (module.in_channels // module.groups) * kernel


def _transposed(module, x, y) -> int:
    return x[0].numel() * (module.out_channels // module.groups) * math.prod(module.kernel_size)


def _thop_rule(module: nn.Module):
    if isinstance(module, (nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d)):
        return _transposed
    if isinstance(module, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
        return lambda m, x, y: _conv(m, x, y)
    if isinstance(module, nn.Linear):
        return lambda m, x, y: m.in_features * y.numel()
    if isinstance(module, nn.modules.batchnorm._BatchNorm):
        return lambda m, x, y: 2 * x[0].numel() * (2 if m.affine else 1)
    if isinstance(module, (nn.AvgPool1d, nn.AvgPool2d, nn.AvgPool3d)):
        return lambda m, x, y: y.numel()
    if isinstance(module, (nn.AdaptiveAvgPool1d, nn.AdaptiveAvgPool2d, nn.AdaptiveAvgPool3d)):
        return lambda m, x, y: int((math.prod(x[0].shape[2:]) / math.prod(y.shape[2:]) + 1) * y.numel())
    if isinstance(module, nn.Upsample):
        return lambda m, x, y: UPSAMPLE_OPS.get(m.mode, 0) * y.numel()
    return None


def count(model: nn.Module, *inputs: torch.Tensor) -> dict:
    """Parameters, thop-convention MACs and convolution/linear MACs of one forward pass."""
    totals = {"macs": 0, "conv_macs": 0}
    handles = []

    def hook(rule, is_conv):
        def run(module, x, y):
            ops = int(rule(module, x, y))
            totals["macs"] += ops
            if is_conv:
                totals["conv_macs"] += ops

        return run

    for module in model.modules():
        if list(module.children()):
            continue
        rule = _thop_rule(module)
        if rule is not None:
            is_conv = isinstance(module, (nn.modules.conv._ConvNd, nn.Linear))
            handles.append(module.register_forward_hook(hook(rule, is_conv)))
    training = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(*inputs)
    finally:
        model.train(training)
        for h in handles:
            h.remove()
    totals["params"] = sum(p.numel() for p in model.parameters())
    return totals


def flop_counter_macs(model: nn.Module, *inputs: torch.Tensor) -> int:
    """Convolution + matmul MACs as torch.utils.flop_counter sees them (FLOPs / 2)."""
    from torch.utils.flop_counter import FlopCounterMode

    training = model.training
    model.eval()
    try:
        with torch.no_grad(), FlopCounterMode(display=False) as counter:
            model(*inputs)
    finally:
        model.train(training)
    return counter.get_total_flops() // 2
