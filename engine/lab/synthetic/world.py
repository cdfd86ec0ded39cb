"""The synthetic world on one block of pixels: land-cover classes and elevation, per date.

``evaluate`` is a pure function of the plan and the world coordinates of the block, so blocks
can be computed in any order, and the after date can be evaluated on shifted coordinates
(misregistration).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import landcover as lc
from .noise import fbm, hash_uniform, noise_at
from .plan import Change, Dump, ScenePlan
from .shapes import buffered_line

FACE = 0.35  # fraction of each terrace ring taken by its steep face
VILLAGE_CELL = 25.0  # metres: one possible house per cell


@dataclass
class BlockWorld:
    classes: np.ndarray  # (H, W) uint8
    dem: np.ndarray  # (H, W) float32, metres
    fresh: np.ndarray  # (H, W) bool: surface disturbed by a change (after date)
    parcel: np.ndarray  # (H, W) float32: per-parcel / per-house random value in [0, 1)
    u: np.ndarray  # (H, W) float32: along-row coordinate of farm parcels (for row texture)
    lease: np.ndarray  # (H, W) bool: inside a mine's lease


def terraces(t: np.ndarray, steps: int) -> np.ndarray:
    """0 at t = 0 rising to 1 at t = 1 in ``steps`` flat benches separated by steep faces."""
    s = np.clip(t, 0, 1) * steps
    k = np.floor(s)
    f = s - k
    step = np.where(f < FACE, _smoothstep(f / FACE), 1.0)
    return (np.minimum(k + step, steps) / steps).astype(np.float32)


def _smoothstep(x):
    x = np.clip(x, 0, 1)
    return x * x * (3 - 2 * x)


def pit_depth(rho: np.ndarray, depth: float, benches: int, floor: float) -> np.ndarray:
    return depth * terraces((1 - rho) / (1 - floor), benches)


def dump_height(rho: np.ndarray, dump: Dump) -> np.ndarray:
    return np.where(rho < 1, dump.height * terraces((1 - rho) / 0.6, dump.terraces), 0.0)


@lru_cache(maxsize=64)
def _road_shapes(plan_id: int, key: str, payload: str) -> list[dict]:
    """Buffered polylines as GeoJSON (cached per plan)."""
    lines, width = json.loads(payload)
    return [json.loads(buffered_line(line, width).ExportToJson()) for line in lines]


def _rasterize(shapes, transform, shape) -> np.ndarray:
    from rasterio.features import rasterize

    if not shapes:
        return np.zeros(shape, dtype=bool)
    return rasterize(
        shapes, out_shape=shape, transform=transform, fill=0, default_value=1, dtype="uint8"
    ).astype(bool)


def block_transform(plan: ScenePlan, xs: np.ndarray, ys: np.ndarray):
    from affine import Affine

    px = plan.pixel_size
    return Affine(px, 0, xs[0] - px / 2, 0, -px, ys[0] + px / 2)


def _bbox_hits(xs, ys, cx, cy, reach) -> bool:
    return xs[0] - reach <= cx <= xs[-1] + reach and ys[-1] - reach <= cy <= ys[0] + reach


def in_lease(plan: ScenePlan, X: np.ndarray, Y: np.ndarray, xs, ys) -> np.ndarray:
    """Points inside a mine's lease (kept free of farms and villages)."""
    out = np.zeros(X.shape, dtype=bool)
    for mine in plan.mines:
        if _bbox_hits(xs, ys, mine.pit.cx, mine.pit.cy, mine.lease + 400):
            out |= np.hypot(X - mine.pit.cx, Y - mine.pit.cy) < mine.lease
    return out


def village_houses(plan: ScenePlan, X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(house mask, per-house random) at world points X, Y."""
    houses = np.zeros(X.shape, dtype=bool)
    roof = np.zeros(X.shape, dtype=np.float32)
    xmin, xmax, ymin, ymax = X.min(), X.max(), Y.min(), Y.max()
    for cx, cy, radius in plan.settlements:
        if cx + radius < xmin or cx - radius > xmax or cy + radius < ymin or cy - radius > ymax:
            continue
        d = np.hypot(X - cx, Y - cy)
        near = d < radius
        if not near.any():
            continue
        ci, cj = np.floor(X / VILLAGE_CELL), np.floor(Y / VILLAGE_CELL)
        h = [hash_uniform(plan.seed + 50 + k, ci, cj) for k in range(4)]
        present = near & (h[0] < 0.75 * (1 - d / radius) + 0.1)
        fx, fy = X / VILLAGE_CELL - ci, Y / VILLAGE_CELL - cj
        half_w, half_h = 0.18 + 0.14 * h[1], 0.18 + 0.14 * h[2]
        inside = (np.abs(fx - 0.5) < half_w) & (np.abs(fy - 0.5) < half_h)
        hit = present & inside
        houses |= hit
        roof = np.where(hit, h[3], roof)
    return houses, roof


def evaluate(plan: ScenePlan, xs: np.ndarray, ys: np.ndarray, date: int) -> BlockWorld:
    """Classes and DEM of the block with pixel-centre coordinates ``xs`` (W) and ``ys`` (H)."""
    seed, th = plan.seed, plan.thresholds
    shape = (len(ys), len(xs))
    X, Y = np.meshgrid(xs, ys)
    transform = block_transform(plan, xs, ys)

    terrain = fbm(xs, ys, 2500.0, seed + 1, octaves=4)
    dem = (40.0 * terrain).astype(np.float32)
    moisture = fbm(xs, ys, 700.0, seed + 2, octaves=3)
    rock = fbm(xs, ys, 300.0, seed + 3, octaves=3) + 0.3 * terrain
    classes = np.full(shape, lc.GRASS, dtype=np.uint8)
    classes[moisture > th["forest"]] = lc.FOREST
    classes[moisture < th["bare"]] = lc.BARE
    classes[rock > th["rock"]] = lc.ROCK
    water = terrain < th["water"]
    classes[water] = lc.WATER
    dem[water] = 40.0 * th["water"]

    lease = in_lease(plan, X, Y, xs, ys)

    # Farmland: parcels on a rotated, slightly warped lattice; the zone is decided per parcel.
    c, s = math.cos(plan.farm_angle), math.sin(plan.farm_angle)
    warp = 12.0 * (fbm(xs, ys, 250.0, seed + 6, octaves=2) - 0.5)
    u = X * c + Y * s + warp
    v = -X * s + Y * c + warp
    pw, ph = plan.parcel
    pi, pj = np.floor(u / pw), np.floor(v / ph)
    centre_x = ((pi + 0.5) * pw) * c - ((pj + 0.5) * ph) * s
    centre_y = ((pi + 0.5) * pw) * s + ((pj + 0.5) * ph) * c
    farm_zone = noise_at(centre_x, centre_y, 1500.0, (seed + 4) * 131) > th["farm"]
    farm_zone &= ~in_lease(plan, centre_x, centre_y, xs, ys)  # whole parcels stay out of leases
    farm = farm_zone & np.isin(classes, (lc.GRASS, lc.FOREST, lc.BARE))
    parcel = hash_uniform(seed + 5, pi, pj).astype(np.float32)
    margin = (np.minimum(u - pi * pw, v - pj * ph) < 3.0) & farm
    classes[farm] = lc.FARMLAND
    classes[margin] = lc.TRACK

    houses, roof = village_houses(plan, X, Y)
    houses &= ~lease & ~water
    classes[houses] = lc.BUILDING
    parcel = np.where(houses, roof, parcel)
    dem[houses] += 6.0

    payload = json.dumps([plan.roads, plan.road_width])
    roads = _rasterize(_road_shapes(id(plan), "roads", payload), transform, shape)
    classes[roads & ~water] = lc.ROAD

    for mine in plan.mines:
        if not _bbox_hits(xs, ys, mine.pit.cx, mine.pit.cy, mine.lease):
            continue
        rho = mine.pit.rho(X, Y)
        pit = rho < 1
        classes[pit] = np.where(rho[pit] < mine.floor, lc.PIT_FLOOR, lc.BENCH)
        dem[pit] -= pit_depth(rho[pit], mine.depth, mine.benches, mine.floor)
        for dump in mine.dumps:
            rd = dump.shape.rho(X, Y)
            on = rd < 1
            classes[on] = lc.DUMP
            dem[on] += dump_height(rd[on], dump)
        for pond in mine.ponds:
            classes[pond.rho(X, Y) < 1] = lc.TAILINGS
        payload = json.dumps([mine.haul_roads, 12.0])
        haul = _rasterize(_road_shapes(id(plan), f"haul{mine.id}", payload), transform, shape)
        classes[haul & (classes != lc.TAILINGS)] = lc.HAUL_ROAD
        plant = _rasterize(
            [{"type": "Polygon", "coordinates": [b]} for b in mine.buildings], transform, shape
        )
        classes[plant] = lc.PLANT
        dem[plant] += 12.0

    world = BlockWorld(classes, dem, np.zeros(shape, dtype=bool), parcel, u.astype(np.float32), lease)
    if date == 1:
        apply_changes(plan, world, X, Y, transform, terrain)
        works = earthworks_mask(plan, xs, ys) & ~water
        world.classes[works] = lc.STRIPPED
        world.fresh |= works
    return world


def earthworks_mask(plan: ScenePlan, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Pixels of the block (centres ``xs``, ``ys``) inside the plan's earthworks outside the leases."""
    out = np.zeros((len(ys), len(xs)), dtype=bool)
    for e in plan.earthworks:
        if _bbox_hits(xs, ys, e.cx, e.cy, e.reach()):
            out |= e.rho(xs[None, :], ys[:, None]) < 1
    return out


def change_masks(plan: ScenePlan, xs, ys, transform, shape) -> list[tuple[Change, np.ndarray]]:
    """Rasterised change polygons that touch the block."""
    out = []
    for change in plan.changes:
        if not change.touches(xs, ys):
            continue
        mask = _rasterize([change.geometry], transform, shape)
        if mask.any():
            out.append((change, mask))
    return out


def apply_changes(plan: ScenePlan, world: BlockWorld, X, Y, transform, terrain) -> None:
    mines = {m.id: m for m in plan.mines}
    base = 40.0 * terrain
    for change, region in change_masks(plan, X[0], Y[:, 0], transform, world.classes.shape):
        mine = mines[change.mine]
        world.fresh |= region
        if change.type == "pit_expansion":
            rho = mine.after_pit.rho(X[region], Y[region])
            world.classes[region] = np.where(rho < mine.floor, lc.PIT_FLOOR, lc.BENCH)
            world.dem[region] = base[region] - pit_depth(rho, mine.depth, mine.benches, mine.floor)
        elif change.type == "pit_deepening":
            rho = mine.pit.rho(X[region], Y[region])
            world.classes[region] = np.where(rho < mine.after_floor, lc.PIT_FLOOR, lc.BENCH)
            world.dem[region] = base[region] - pit_depth(
                rho, mine.after_depth, mine.benches + 1, mine.after_floor
            )
        elif change.type == "dump_growth":
            dump = mine.after_dumps[0]
            rho = dump.shape.rho(X[region], Y[region])
            world.classes[region] = lc.DUMP
            world.dem[region] = base[region] + dump_height(np.minimum(rho, 0.999), dump)
        elif change.type == "new_pond":
            world.classes[region] = lc.TAILINGS
            world.dem[region] = base[region] - 2.0
        elif change.type == "stripping":
            world.classes[region] = lc.STRIPPED
        elif change.type == "reclamation":
            world.classes[region] = lc.RECLAIMED
            world.fresh[region] = False


def hillshade(dem: np.ndarray, pixel_size: float, azimuth: float, elevation: float) -> np.ndarray:
    """Illumination relative to flat ground (1.0), from a DEM with a one-pixel halo (cropped)."""
    dzdx = (dem[1:-1, 2:] - dem[1:-1, :-2]) / (2 * pixel_size)
    dzdy = (dem[:-2, 1:-1] - dem[2:, 1:-1]) / (2 * pixel_size)  # rows go south: flip to north-up
    az, el = math.radians(azimuth), math.radians(elevation)
    sun = np.array([math.sin(az) * math.cos(el), math.cos(az) * math.cos(el), math.sin(el)])
    norm = np.sqrt(dzdx**2 + dzdy**2 + 1)
    cos_i = (-dzdx * sun[0] - dzdy * sun[1] + sun[2]) / norm
    return np.clip(cos_i / sun[2], 0.15, 1.35).astype(np.float32)
