"""Optical rendering: reflectance (R, G, B, NIR) of a block for one date, then the sensor model."""

from __future__ import annotations

import math

import numpy as np

from . import landcover as lc
from .noise import block_rng, fbm, value_noise
from .plan import ScenePlan
from .world import BlockWorld, village_houses

# Reflectance (R, G, B, NIR): summer and winter for vegetation, one value for the rest.
SPECTRA = {
    lc.WATER: ((0.03, 0.05, 0.07, 0.02), (0.05, 0.06, 0.07, 0.03)),
    lc.FOREST: ((0.04, 0.08, 0.04, 0.42), (0.08, 0.08, 0.06, 0.22)),
    lc.GRASS: ((0.06, 0.12, 0.05, 0.36), (0.19, 0.17, 0.12, 0.24)),
    lc.BARE: ((0.22, 0.18, 0.13, 0.26),) * 2,
    lc.ROCK: ((0.27, 0.25, 0.22, 0.30),) * 2,
    lc.ROAD: ((0.21, 0.21, 0.22, 0.23),) * 2,
    lc.TRACK: ((0.24, 0.20, 0.15, 0.27),) * 2,
    lc.BENCH: ((0.31, 0.29, 0.26, 0.33),) * 2,
    lc.PIT_FLOOR: ((0.27, 0.26, 0.24, 0.29),) * 2,
    lc.DUMP: ((0.29, 0.26, 0.23, 0.31),) * 2,
    lc.TAILINGS: ((0.22, 0.32, 0.31, 0.10), (0.25, 0.33, 0.31, 0.12)),
    lc.PLANT: ((0.45, 0.47, 0.50, 0.46),) * 2,
    lc.HAUL_ROAD: ((0.36, 0.34, 0.30, 0.37),) * 2,
    lc.STRIPPED: ((0.38, 0.31, 0.22, 0.35),) * 2,
    lc.RECLAIMED: ((0.07, 0.14, 0.06, 0.34), (0.17, 0.16, 0.11, 0.23)),
}
CROPS = np.array(
    [
        (0.05, 0.12, 0.04, 0.46),  # green crop
        (0.25, 0.22, 0.10, 0.30),  # ripening
        (0.31, 0.26, 0.19, 0.26),  # stubble
        (0.15, 0.12, 0.09, 0.19),  # ploughed
    ],
    dtype=np.float32,
)
ROOFS = np.array(
    [(0.36, 0.13, 0.10, 0.30), (0.11, 0.18, 0.36, 0.26), (0.34, 0.34, 0.35, 0.35), (0.58, 0.58, 0.57, 0.58)],
    np.float32,
)
TEXTURE = {
    lc.FOREST: 0.35,
    lc.GRASS: 0.18,
    lc.FARMLAND: 0.10,
    lc.BARE: 0.15,
    lc.ROCK: 0.22,
    lc.BENCH: 0.12,
    lc.DUMP: 0.15,
    lc.PIT_FLOOR: 0.12,
    lc.STRIPPED: 0.18,
    lc.RECLAIMED: 0.30,
}
FRESH_OFFSET = np.array([0.05, 0.05, 0.04, 0.03], dtype=np.float32)
SCALE = {"uint8": 380.0, "uint16": 3800.0}
HAZE_BANDS = np.array([0.9, 1.0, 1.3, 0.5], dtype=np.float32)
SEASONAL = (lc.FOREST, lc.GRASS, lc.FARMLAND, lc.RECLAIMED, lc.WATER, lc.TAILINGS)


def crop_state(parcel: np.ndarray, seed: int, date: int, strength: float) -> np.ndarray:
    """Crop state per parcel; between dates a parcel changes state with probability ~strength."""
    first = np.floor(parcel * 4).astype(np.int64) % 4
    if date == 0:
        return first
    key = (parcel * 1e6).astype(np.int64)
    from .noise import hash_uniform

    changes = hash_uniform(seed + 61, key) < min(0.85, 0.7 * strength)
    later = np.floor(hash_uniform(seed + 62, key) * 4).astype(np.int64) % 4
    return np.where(changes, later, first)


def reflectance(plan: ScenePlan, world: BlockWorld, xs, ys, shade: np.ndarray, date: int) -> np.ndarray:
    look = plan.dates[date]
    season = look.season
    shape = world.classes.shape
    out = np.zeros((4,) + shape, dtype=np.float32)
    for cls, (summer, winter) in SPECTRA.items():
        sel = world.classes == cls
        if sel.any():
            value = (1 - season) * np.asarray(summer, np.float32) + season * np.asarray(winter, np.float32)
            out[:, sel] = value[:, None]
    farm = world.classes == lc.FARMLAND
    if farm.any():
        state = crop_state(world.parcel[farm], plan.seed, date, plan.pseudo_strength)
        out[:, farm] = CROPS[state].T
        rows = 1 + 0.07 * np.sin(2 * np.pi * world.u[farm] / 4.0)
        out[:, farm] *= rows[None]
    for cls in (lc.BUILDING,):
        sel = world.classes == cls
        if sel.any():
            out[:, sel] = ROOFS[np.floor(world.parcel[sel] * 4).astype(int) % 4].T
    # Textures: fine multiplicative noise, forest crowns, fresh surfaces brighter
    fine = fbm(xs, ys, 9.0, plan.seed + 20, octaves=2) - 0.5
    amount = np.zeros(shape, dtype=np.float32)
    for cls, a in TEXTURE.items():
        amount[world.classes == cls] = a
    out *= 1 + amount * 2 * fine
    natural = np.isin(world.classes, (lc.FOREST, lc.GRASS, lc.BARE, lc.ROCK, lc.RECLAIMED, lc.DUMP, lc.BENCH))
    patches = fbm(xs, ys, 150.0, plan.seed + 22, octaves=2) - 0.5
    out[:, natural] *= (1 + 0.5 * patches[natural])[None]
    grass = world.classes == lc.GRASS
    if grass.any():
        shrubs = value_noise(xs, ys, 7.0, plan.seed + 23) > 0.78
        bush = grass & shrubs
        out[:, bush] = (
            out[:, bush] * 0.45
            + 0.55
            * (
                (1 - season) * np.array(SPECTRA[lc.FOREST][0], np.float32)
                + season * np.array(SPECTRA[lc.FOREST][1], np.float32)
            )[:, None]
        )
    forest = world.classes == lc.FOREST
    if forest.any():
        crowns = value_noise(xs, ys, 4.0, plan.seed + 21)
        out[:, forest] *= (0.7 + 0.6 * crowns[forest])[None]
    out[:, world.fresh] = 1.3 * out[:, world.fresh] + FRESH_OFFSET[:, None]  # freshly exposed: brighter
    return out * shade[None]


def building_shadows(plan: ScenePlan, world: BlockWorld, xs, ys, date: int) -> np.ndarray:
    """Darkening factor (1 = lit) for cast shadows of houses and plant buildings."""
    look = plan.dates[date]
    az, el = math.radians(look.sun_azimuth), math.radians(look.sun_elevation)
    X, Y = np.meshgrid(xs, ys)
    factor = np.ones(world.classes.shape, dtype=np.float32)
    for height in (6.0, 12.0):
        length = 0.7 * height / math.tan(el)
        sx, sy = X + length * math.sin(az), Y + length * math.cos(az)
        if height == 6.0:
            caster, _ = village_houses(plan, sx, sy)
        else:
            from .world import _rasterize, block_transform

            shifted = block_transform(plan, xs + length * math.sin(az), ys + length * math.cos(az))
            shapes = [{"type": "Polygon", "coordinates": [b]} for m in plan.mines for b in m.buildings]
            caster = _rasterize(shapes, shifted, world.classes.shape)
        shadow = caster & ~np.isin(world.classes, (lc.BUILDING, lc.PLANT))
        factor[shadow] = 0.45
    return factor


def sensor(plan: ScenePlan, refl: np.ndarray, xs, ys, date: int, block_key: tuple[int, int]) -> np.ndarray:
    """Per-date gains/offsets (colour balance), haze and noise, then digital numbers."""
    look = plan.dates[date]
    gains = np.asarray(look.gains, np.float32)[:, None, None]
    offsets = np.asarray(look.offsets, np.float32)[:, None, None]
    out = refl * gains + offsets
    if look.haze > 0:
        haze = look.haze * (0.5 + fbm(xs, ys, 3000.0, plan.seed + 30 + date, octaves=2))
        out = out * (1 - 0.5 * haze)[None] + HAZE_BANDS[:, None, None] * haze[None]
    rng = block_rng(plan.seed, 40 + date, *block_key)
    out += rng.normal(0, 0.006, out.shape).astype(np.float32)
    scale = SCALE[plan.dtype]
    top = 255 if plan.dtype == "uint8" else 65535
    return np.clip(out * scale, 1, top).round().astype(plan.dtype)  # 0 is kept free for nodata
