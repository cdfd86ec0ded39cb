"""Start training from a model (``--init``): a bundled one chosen for the data, or a checkpoint.

``auto`` picks the bundled model of the architecture whose pixel size is closest to the data's
(within a factor of 2), preferring the same band count; with none, training starts from random
weights. The input layers are adapted when the channels differ: a channel the model knows (by
its name: red, nir, coherence…, else by position) keeps its weights, a new one gets their mean.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import MineCDError

CHANNEL_WORDS = ("blue", "green", "red", "nir", "amplitude_before", "amplitude_after", "coherence")


@dataclass
class Init:
    name: str  # what the user or ``auto`` chose: a bundled name or a path
    checkpoint: object  # checkpoint.Checkpoint

    @property
    def meta(self) -> dict:
        return self.checkpoint.metadata


def _load(spec: str):
    from ..bundled import bundled_path
    from ..checkpoint import load_checkpoint

    path = bundled_path(spec) or Path(spec)
    if not path.exists():
        raise MineCDError(f"--init {spec}: neither a bundled model nor a checkpoint file")
    return load_checkpoint(path)


def choose_bundled(arch: str, bands: int | None, pixel_size: float | None) -> str | None:
    """The bundled model of ``arch`` that suits the data best, or None."""
    from ..bundled import MODELS_DIR, manifest
    from ..checkpoint import load_checkpoint

    best, best_key = None, None
    for name, entry in manifest().items():
        if entry["arch"] != arch:
            continue
        meta = load_checkpoint(MODELS_DIR / entry["file"]).metadata
        trained = meta.get("pixel_size_m")
        if pixel_size and trained:
            ratio = max(pixel_size, trained) / min(pixel_size, trained)
            if ratio > 2:
                continue
        else:
            ratio = 1.0
        same_bands = bands is None or meta["inputs"].get("count") == bands or arch != "insinet"
        key = (ratio, not same_bands)
        if best_key is None or key < best_key:
            best, best_key = name, key
    return best


def resolve(
    spec: str | None, arch: str, bands: int | None, pixel_size: float | None, log=print
) -> Init | None:
    """The model to start from (None: random weights), checked against the architecture."""
    if spec is None or spec.lower() == "none":
        return None
    if spec.lower() == "auto":
        name = choose_bundled(arch, bands, pixel_size)
        if name is None:
            size = f"{pixel_size:g} m" if pixel_size else "unknown pixel size"
            log(
                f"--init auto: no bundled {arch} model suits {bands or '?'} bands at {size}: "
                "training from scratch"
            )
            return None
        log(f"--init auto: starting from the bundled {name}")
        return Init(name, _load(name))
    checkpoint = _load(spec)
    meta = checkpoint.metadata
    if meta["arch"] != arch:
        raise MineCDError(
            f"--init {spec}: a {meta['kind']} {meta['arch']} model cannot start a {arch} training "
            f"(choose an {arch} model, or --init none)"
        )
    return Init(spec, checkpoint)


def _key(name: str) -> str | None:
    low = name.lower()
    return next((w for w in CHANNEL_WORDS if w in low), None)


def channel_map(old: list[str], new: list[str]) -> list[int | None]:
    """For each new channel, the old channel whose weights it takes (None: the mean of all)."""
    old_keys = [_key(n) for n in old]
    out = []
    for i, name in enumerate(new):
        key = _key(name)
        if key is not None and key in old_keys:
            out.append(old_keys.index(key))
        elif key is None and not any(old_keys) and i < len(old):
            out.append(i)
        else:
            out.append(None)
    return out


def channel_names(meta: dict) -> list[str]:
    inputs = meta["inputs"]
    return list(inputs.get("band_names") or inputs.get("channels") or [])


def load_weights(model, init: Init, new_channels: list[str], log=print) -> None:
    """Copy ``init``'s weights into ``model``; input convolutions are adapted channel by channel."""
    import torch

    old_channels = channel_names(init.meta)
    mapping = channel_map(old_channels, new_channels)
    source = init.checkpoint.state_dict
    target = model.state_dict()
    adapted = 0
    for key, tensor in target.items():
        if key not in source:
            raise MineCDError(f"--init {init.name}: its network differs from this one (no {key})")
        old = source[key]
        if old.shape == tensor.shape:
            target[key] = old.clone()
            continue
        if old.ndim == 4 and old.shape[0] == tensor.shape[0] and old.shape[2:] == tensor.shape[2:]:
            mean = old.mean(dim=1)
            parts = [old[:, j] if j is not None else mean for j in mapping]
            target[key] = torch.stack(parts, dim=1) * (old.shape[1] / tensor.shape[1])
            adapted += 1
            continue
        raise MineCDError(f"--init {init.name}: its network differs from this one ({key} {tuple(old.shape)})")
    model.load_state_dict(target)
    if adapted:
        log(
            f"--init {init.name}: {adapted} input layer(s) adapted "
            f"from {len(old_channels)} to {len(new_channels)} channels"
        )
