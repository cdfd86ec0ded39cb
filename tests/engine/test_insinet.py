"""INSINet: the paper's size, its ablation variants, the loss and the neighbourhood crop."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import torch
import torch.nn.functional as F

from engine.models.complexity import count, flop_counter_macs
from engine.models.insinet import VARIANTS, Core, INSINet, change_loss
from engine.models.mobilenetv3 import StagedEncoder


@pytest.fixture(scope="module")
def full_size():
    x = torch.zeros(1, 3, 256, 256)
    model = INSINet(3, "insinet")
    return count(model, x, x, x, x), flop_counter_macs(model, x, x, x, x)


def test_size_matches_the_paper(full_size):
    sizes, flop_counter = full_size
    assert sizes["params"] == pytest.approx(0.83e6, rel=0.03)
    assert sizes["macs"] == pytest.approx(1.32e9, rel=0.03)  # thop convention (Table II)
    assert sizes["conv_macs"] == pytest.approx(1.06e9, rel=0.05)  # convolutions + linear only
    assert sizes["conv_macs"] == flop_counter  # the same count as torch.utils.flop_counter / 2


def test_backbone_is_mobilenetv3_large_first_11_layers():
    encoder = StagedEncoder(4)  # any number of bands through the new stem
    assert sum(len(stage) for stage in encoder.stages) == 11
    shapes = [tuple(f.shape[1:]) for f in encoder(torch.zeros(1, 4, 64, 64))]
    assert shapes == [(16, 32, 32), (24, 16, 16), (40, 8, 8), (80, 4, 4)]


def test_variants_grow_like_the_ablation_table():
    x = torch.randn(2, 3, 64, 64)
    params = []
    for variant in VARIANTS:
        model = INSINet(3, variant).eval()
        with torch.no_grad():
            out = model(x, x.flip(-1), x, x)
        assert out["logits"].shape == (2, 2, 64, 64)
        assert len(out["aux"]) == (5 if variant in ("mdsa", "quad", "insinet") else 0)
        params.append(sum(p.numel() for p in model.parameters()))
    assert params == sorted(params) and len(set(params)) == len(params)
    with pytest.raises(ValueError, match="unknown INSINet variant"):
        INSINet(3, "magic")


def test_loss_is_cross_entropy_on_the_logits():
    torch.manual_seed(0)
    logits = torch.randn(2, 2, 8, 8)
    target = torch.randint(0, 2, (2, 8, 8))
    target[0, :2] = 255  # nodata is ignored
    loss = change_loss({"logits": logits, "aux": []}, target)
    assert torch.isclose(loss, F.cross_entropy(logits, target, ignore_index=255))
    aux = [torch.zeros(2, 1, 4, 4)]
    assert change_loss({"logits": logits, "aux": aux}, target) > loss  # deep supervision adds a term


def test_core_keeps_the_ground_of_the_centre_tile():
    # A neighbourhood feature map (3s x ... covering 3T) whose central third is 1, the rest 0.
    s = 12
    x = torch.zeros(1, 1, s, s)
    x[..., 4:8, 4:8] = 1.0
    core = Core()(x)[0, 0]
    assert core.shape == (s, s)
    assert torch.allclose(core[1:-1, 1:-1], torch.ones(s - 2, s - 2))
    # bilinear upsampling blends only the outermost row with the neighbours: 2/3 centre, 1/3 outside
    assert torch.allclose(core[0, 1:-1], torch.full((s - 2,), 2 / 3))


def test_model_info_command(repo):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "engine",
            "model-info",
            "--arch",
            "insinet",
            "--variant",
            "siamese",
            "--tile",
            "128",
        ],
        capture_output=True,
        text=True,
        cwd=repo,
        check=True,
    )
    info = json.loads(proc.stdout)
    assert {"arch", "params", "macs", "conv_macs"} <= info.keys()
    assert info["variant"] == "siamese" and info["macs"] > info["conv_macs"] > 0
