"""SAR rendering: a co-registered single-look complex pair with speckle and known coherence.

z1 = sqrt(σ1) c1,  z2 = sqrt(σ2) (γ c1 + sqrt(1 − γ²) c2) e^{iφ}, with c1, c2 ~ CN(0, 1):
the pair has interferometric correlation γ per pixel and phase φ (a smooth ramp, topography
and atmosphere), so a coherence estimator must cope with fringes.
"""

from __future__ import annotations

import math

import numpy as np

from . import landcover as lc
from .noise import block_rng, fbm
from .plan import ScenePlan
from .world import BlockWorld, _rasterize, block_transform

SIGMA0_DB = {
    lc.WATER: -22.0,
    lc.FOREST: -8.5,
    lc.GRASS: -12.0,
    lc.FARMLAND: -13.0,
    lc.BARE: -14.0,
    lc.ROCK: -7.0,
    lc.ROAD: -17.0,
    lc.BUILDING: 2.0,
    lc.BENCH: -6.5,
    lc.PIT_FLOOR: -10.0,
    lc.DUMP: -9.0,
    lc.TAILINGS: -19.0,
    lc.PLANT: 4.0,
    lc.HAUL_ROAD: -13.0,
    lc.STRIPPED: -16.0,
    lc.RECLAIMED: -13.5,
    lc.TRACK: -14.0,
}
GAMMA = {
    lc.WATER: 0.03,
    lc.FOREST: 0.15,
    lc.GRASS: 0.35,
    lc.FARMLAND: 0.25,
    lc.BARE: 0.6,
    lc.ROCK: 0.9,
    lc.ROAD: 0.75,
    lc.BUILDING: 0.92,
    lc.BENCH: 0.85,
    lc.PIT_FLOOR: 0.7,
    lc.DUMP: 0.65,
    lc.TAILINGS: 0.05,
    lc.PLANT: 0.92,
    lc.HAUL_ROAD: 0.5,
    lc.STRIPPED: 0.55,
    lc.RECLAIMED: 0.35,
    lc.TRACK: 0.5,
}
HUMID = (lc.FARMLAND, lc.GRASS, lc.RECLAIMED, lc.TRACK)
LOW_COHERENCE_NATURAL = (lc.FOREST, lc.GRASS, lc.FARMLAND, lc.WATER, lc.RECLAIMED)
INCIDENCE = math.radians(35.0)
CHANGED_GAMMA = 0.05
FRESH_ROCK_DB = 5.0  # blasted, excavated or dumped material is rougher than weathered ground
FRESH_CLASSES = (lc.BENCH, lc.PIT_FLOOR, lc.DUMP)
EQUIPMENT_DB = 12.0
EQUIPMENT_SIZE = 8.0  # metres


def _lookup(table: dict, classes: np.ndarray) -> np.ndarray:
    lut = np.zeros(256, dtype=np.float32)
    for cls, value in table.items():
        lut[cls] = value
    return lut[classes]


def equipment_mask(plan: ScenePlan, xs, ys, date: int) -> np.ndarray:
    half = EQUIPMENT_SIZE / 2
    shapes = [
        {
            "type": "Polygon",
            "coordinates": [
                [
                    [x - half, y - half],
                    [x + half, y - half],
                    [x + half, y + half],
                    [x - half, y + half],
                    [x - half, y - half],
                ]
            ],
        }
        for x, y in plan.equipment[date]
        if xs[0] - 10 <= x <= xs[-1] + 10 and ys[-1] - 10 <= y <= ys[0] + 10
    ]
    return _rasterize(shapes, block_transform(plan, xs, ys), (len(ys), len(xs)))


def backscatter(plan: ScenePlan, world: BlockWorld, dem_halo: np.ndarray, xs, ys, date: int) -> np.ndarray:
    """σ0 (linear) of the block for one date."""
    db = _lookup(SIGMA0_DB, world.classes)
    db += 3.0 * (fbm(xs, ys, 40.0, plan.seed + 80, octaves=2) - 0.5)  # ground texture, same both dates
    if date == 1:
        db[world.fresh & np.isin(world.classes, FRESH_CLASSES)] += FRESH_ROCK_DB
        humid = np.isin(world.classes, HUMID)
        db[humid] += plan.dates[1].humidity_db * (0.5 + world.parcel[humid])
    db[equipment_mask(plan, xs, ys, date)] = EQUIPMENT_DB
    slope = np.arctan((dem_halo[1:-1, 2:] - dem_halo[1:-1, :-2]) / (2 * plan.pixel_size))
    geometry = np.clip(np.cos(INCIDENCE - slope) / math.cos(INCIDENCE), 0.15, 3.0) ** 2  # sensor to the west
    return (10 ** (db / 10) * geometry).astype(np.float32)


def coherence(
    plan: ScenePlan, before: BlockWorld, after: BlockWorld, changed: np.ndarray, xs, ys
) -> np.ndarray:
    gamma = np.minimum(_lookup(GAMMA, before.classes), _lookup(GAMMA, after.classes))
    gamma += 0.1 * (fbm(xs, ys, 60.0, plan.seed + 81, octaves=2) - 0.5)
    gamma[changed] = CHANGED_GAMMA
    moving = equipment_mask(plan, xs, ys, 0) | equipment_mask(plan, xs, ys, 1)
    gamma[moving] = CHANGED_GAMMA
    return np.clip(gamma, 0.0, 0.98)


def phase(plan: ScenePlan, dem: np.ndarray, xs, ys) -> np.ndarray:
    fx, fy = plan.phase_ramp
    X, Y = np.meshgrid(xs - plan.origin[0], ys - plan.origin[1])
    atmosphere = 2.0 * (fbm(xs, ys, 2000.0, plan.seed + 82, octaves=2) - 0.5)
    return (fx * X + fy * Y + 0.05 * dem + atmosphere).astype(np.float32)


def slc_pair(plan, sigma1, sigma2, gamma, phi, block_key) -> tuple[np.ndarray, np.ndarray]:
    rng = block_rng(plan.seed, 70, *block_key)
    shape = sigma1.shape
    c1 = (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)) / math.sqrt(2)
    c2 = (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)) / math.sqrt(2)
    z1 = np.sqrt(sigma1) * c1
    z2 = np.sqrt(sigma2) * (gamma * c1 + np.sqrt(1 - gamma**2) * c2) * np.exp(1j * phi)
    return z1.astype(np.complex64), z2.astype(np.complex64)
