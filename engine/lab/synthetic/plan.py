"""Planning a synthetic scene: land-cover mix, mines, roads, settlements and the true changes.

Everything here is decided once from the seed, in world coordinates (metres). Mines and dumps
are radial shapes r(θ) = R (1 + Σ a_k cos(kθ + φ_k)); every true change is a polygon, so the
labels are exact by construction: the after date differs from the before date only inside the
change polygons (plus the label-0 pseudo-changes, which act everywhere). Optional earthworks
outside the mine leases look exactly like mine stripping but are not mine changes (label 0):
only the surroundings tell them apart.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field

import numpy as np

from .noise import fbm
from .shapes import difference, polygon, union, wedge

CHANGE_TYPES = ("pit_expansion", "pit_deepening", "dump_growth", "new_pond", "stripping", "reclamation")


@dataclass
class Radial:
    """A closed radial shape around (cx, cy) in metres."""

    cx: float
    cy: float
    radius: float
    amps: list[float]
    phases: list[float]
    # optional outward bump: radius + bump * max(0, cos(θ - bump_dir)) ** 4
    bump: float = 0.0
    bump_dir: float = 0.0

    def r(self, theta: np.ndarray) -> np.ndarray:
        out = np.ones_like(theta, dtype=np.float64)
        for k, (a, p) in enumerate(zip(self.amps, self.phases), start=2):
            out = out + a * np.cos(k * theta + p)
        out = self.radius * out
        if self.bump:
            out = out + self.bump * np.maximum(0.0, np.cos(theta - self.bump_dir)) ** 4
        return out

    def rho(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Normalised radius: < 1 inside the shape."""
        dx, dy = x - self.cx, y - self.cy
        return np.hypot(dx, dy) / self.r(np.arctan2(dy, dx))

    def grown(self, bump: float, direction: float) -> Radial:
        return Radial(self.cx, self.cy, self.radius, self.amps, self.phases, bump, direction)

    def scaled(self, factor: float) -> Radial:
        return Radial(
            self.cx, self.cy, self.radius * factor, self.amps, self.phases, self.bump * factor, self.bump_dir
        )

    def reach(self) -> float:
        return self.radius * (1 + sum(self.amps)) + self.bump

    def ring(self, n: int = 180) -> list[list[float]]:
        theta = np.linspace(0, 2 * np.pi, n, endpoint=False)
        r = self.r(theta)
        pts = np.stack([self.cx + r * np.cos(theta), self.cy + r * np.sin(theta)], axis=1).tolist()
        return pts + [pts[0]]


@dataclass
class Dump:
    shape: Radial
    height: float
    terraces: int


@dataclass
class Mine:
    id: int
    pit: Radial
    depth: float
    benches: int
    floor: float  # ρ of the pit floor edge
    dumps: list[Dump]
    ponds: list[Radial]
    buildings: list[list[list[float]]]  # rectangles (rings)
    haul_roads: list[list[list[float]]]  # polylines
    lease: float  # radius of the area kept free of farms and villages
    expansion_dir: float
    after_pit: Radial | None = None
    after_depth: float | None = None
    after_floor: float | None = None
    after_dumps: dict[int, Dump] = field(default_factory=dict)


@dataclass
class Change:
    id: int
    type: str
    mine: int
    geometry: dict  # GeoJSON (Multi)Polygon, world coordinates
    area_m2: float
    bbox: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # xmin, ymin, xmax, ymax

    def touches(self, xs, ys) -> bool:
        """Whether the change's bounding box reaches the block with pixel centres xs, ys."""
        xmin, ymin, xmax, ymax = self.bbox
        pad = abs(xs[1] - xs[0]) if len(xs) > 1 else 0.0
        return (
            xmin <= max(xs) + pad
            and xmax >= min(xs) - pad
            and ymin <= max(ys) + pad
            and ymax >= min(ys) - pad
        )


def _moisture_direction(seed: int) -> float:
    """+1 (wetter on the after date) or -1 (drier), equally likely: regional weather between dates.

    Drawn from its own generator so that no other draw of the scene plan moves.
    """
    return float(np.random.default_rng([seed, 0x4D4F4953]).choice([-1.0, 1.0]))


@dataclass
class DateLook:
    """Everything that differs between the two dates without being a change."""

    season: float  # 0 summer ... 1 winter
    sun_azimuth: float  # degrees clockwise from north
    sun_elevation: float  # degrees
    gains: list[float]  # per band R, G, B, NIR
    offsets: list[float]
    haze: float
    shift: tuple[float, float] = (0.0, 0.0)  # misregistration in pixels (after date only)
    humidity_db: float = 0.0  # SAR: backscatter change on fields and grass (+ wetter, - drier)


@dataclass
class ScenePlan:
    kind: str
    size: int
    pixel_size: float
    seed: int
    crs: str
    origin: tuple[float, float]  # top-left corner (x, y)
    dtype: str
    thresholds: dict  # noise quantiles for the natural classes
    farm_angle: float
    parcel: tuple[float, float]
    mines: list[Mine]
    roads: list[list[list[float]]]
    road_width: float
    settlements: list[tuple[float, float, float]]  # cx, cy, radius
    changes: list[Change]
    dates: list[DateLook]
    equipment: list[list[tuple[float, float]]]  # per date: truck positions (SAR)
    phase_ramp: tuple[float, float]  # rad per metre (x, y)
    pseudo_strength: float
    requested_change_fraction: tuple[float, float]
    planned_change_fraction: float
    mix: dict
    earthworks: list[Radial] = field(default_factory=list)  # stripped land outside leases (label 0)

    @property
    def extent_m(self) -> float:
        return self.size * self.pixel_size

    def bounds(self) -> tuple[float, float, float, float]:
        x0, y0 = self.origin
        return x0, y0 - self.extent_m, x0 + self.extent_m, y0

    def describe(self) -> dict:
        """The scene.json content (without measured statistics)."""
        return {
            "kind": self.kind,
            "seed": self.seed,
            "size": self.size,
            "pixel_size_m": self.pixel_size,
            "crs": self.crs,
            "bounds": list(self.bounds()),
            "dtype": self.dtype,
            "landcover_mix": self.mix,
            "mines": [
                {
                    "id": m.id,
                    "centre": [round(m.pit.cx, 1), round(m.pit.cy, 1)],
                    "pit_radius_m": round(m.pit.radius, 1),
                    "pit_depth_m": round(m.depth, 1),
                    "benches": m.benches,
                    "dumps": len(m.dumps),
                    "ponds": len(m.ponds),
                    "plant_buildings": len(m.buildings),
                }
                for m in self.mines
            ],
            "changes": [
                {"id": c.id, "type": c.type, "mine": c.mine, "area_m2": round(c.area_m2, 1)}
                for c in self.changes
            ],
            "requested_change_fraction": list(self.requested_change_fraction),
            "planned_change_fraction": round(self.planned_change_fraction, 5),
            "pseudo_change_strength": self.pseudo_strength,
            "earthworks_outside_leases": [
                {"centre": [round(e.cx, 1), round(e.cy, 1)], "radius_m": round(e.radius, 1)}
                for e in self.earthworks
            ],
            "dates": [asdict(d) for d in self.dates],
        }


# ---------------------------------------------------------------- planning
def _radial(rng, cx, cy, radius, roughness=0.08, elongation=0.0) -> Radial:
    """Harmonics k = 2, 3, 4: ``elongation`` adds to k = 2 (oval shapes)."""
    amps = list(rng.uniform(0, roughness, 3))
    amps[0] += float(rng.uniform(0, elongation))
    return Radial(cx, cy, radius, amps, list(rng.uniform(0, 2 * np.pi, 3)))


def _quantile_thresholds(seed: int, size_m: float, origin, mix: dict) -> dict:
    """Noise levels that give the wanted land-cover fractions (from a coarse sample of the scene)."""
    n = 160
    xs = origin[0] + (np.arange(n) + 0.5) * size_m / n
    ys = origin[1] - (np.arange(n) + 0.5) * size_m / n
    terrain = fbm(xs, ys, 2500.0, seed + 1, octaves=4)
    moisture = fbm(xs, ys, 700.0, seed + 2, octaves=3)
    rock = fbm(xs, ys, 300.0, seed + 3, octaves=3) + 0.3 * terrain
    farm = fbm(xs, ys, 1500.0, seed + 4, octaves=2)
    return {
        "water": float(np.quantile(terrain, mix["water"])),
        "rock": float(np.quantile(rock, 1 - mix["rock"])),
        "forest": float(np.quantile(moisture, 1 - mix["forest"])),
        "bare": float(np.quantile(moisture, mix["bare"])),
        "farm": float(np.quantile(farm, 1 - mix["farmland"])),
    }


def default_mix(rng) -> dict:
    """A land-cover mix drawn per site: sites differ (forest-, farm- or rock-dominated)."""
    return {
        "water": round(float(rng.uniform(0.01, 0.05)), 3),
        "forest": round(float(rng.uniform(0.15, 0.45)), 3),
        "farmland": round(float(rng.uniform(0.10, 0.45)), 3),
        "rock": round(float(rng.uniform(0.02, 0.10)), 3),
        "bare": round(float(rng.uniform(0.03, 0.10)), 3),
        "settlements_per_km2": round(float(rng.uniform(0.1, 0.5)), 3),
    }


def _place_mines(
    rng, count: int, size_m: float, origin, r_scale: float = 1.0, existing=()
) -> list[tuple[float, float, float]]:
    """``count`` more mine sites (cx, cy, radius) that keep clear of ``existing`` ones."""
    placed = list(existing)
    max_r = min(350.0 * r_scale, 0.3 * size_m)
    min_r = min(150.0 * r_scale, 0.7 * max_r)
    for _ in range(count):
        for _attempt in range(200):
            r = float(rng.uniform(min_r, max_r))
            margin = 0.9 * r
            cx = origin[0] + float(rng.uniform(margin, size_m - margin))
            cy = origin[1] - float(rng.uniform(margin, size_m - margin))
            if all(math.hypot(cx - x, cy - y) > 2.6 * (r + rr) for x, y, rr in placed):
                placed.append((cx, cy, r))
                break
    return placed[len(existing) :]


def _place_earthworks(seed, density, size_m, origin, r_scale, mines, settlements) -> list[Radial]:
    """About ``density`` per km² stripped-soil blobs (construction, borrow pits) outside every lease."""
    rng = np.random.default_rng([seed, 17])  # own stream: scenes without earthworks stay as they were
    out: list[Radial] = []
    for _ in range(int(round(density * size_m**2 / 1e6))):
        for _attempt in range(100):
            r = float(rng.uniform(25.0, 70.0) * r_scale)
            cx = origin[0] + float(rng.uniform(r, size_m - r))
            cy = origin[1] - float(rng.uniform(r, size_m - r))
            clear = all(math.hypot(cx - m.pit.cx, cy - m.pit.cy) > m.lease + r for m in mines)
            clear &= all(math.hypot(cx - x, cy - y) > rs + r for x, y, rs in settlements)
            clear &= all(math.hypot(cx - e.cx, cy - e.cy) > 2 * (e.radius + r) for e in out)
            if clear:
                out.append(_radial(rng, cx, cy, r, 0.15))
                break
    return out


def _build_mine(rng, mid: int, cx: float, cy: float, r: float) -> Mine:
    pit = _radial(rng, cx, cy, r, roughness=0.07, elongation=0.22)
    benches = int(rng.integers(5, 10))
    depth = float(benches * rng.uniform(10, 15))
    expansion_dir = float(rng.uniform(0, 2 * np.pi))
    dumps = []
    n_dumps = int(rng.integers(1, 3))
    for k in range(n_dumps):
        direction = expansion_dir + np.pi + (k - (n_dumps - 1) / 2) * 1.4 + rng.uniform(-0.3, 0.3)
        rd = float(r * rng.uniform(0.45, 0.7))
        dist = r * 1.15 + rd * 1.1
        shape = _radial(rng, cx + dist * math.cos(direction), cy + dist * math.sin(direction), rd, 0.12)
        dumps.append(Dump(shape, float(rng.uniform(15, 40)), int(rng.integers(2, 5))))
    ponds = []
    pond_dir = expansion_dir + np.pi / 2 * rng.choice([-1, 1])
    if rng.random() < 0.6:
        rp = float(r * rng.uniform(0.2, 0.35))
        dist = r * 1.25 + rp
        ponds.append(_radial(rng, cx + dist * math.cos(pond_dir), cy + dist * math.sin(pond_dir), rp, 0.15))
    # Processing plant: a few buildings beside the pit, opposite the pond
    plant_dir = pond_dir + np.pi
    px, py = cx + r * 1.35 * math.cos(plant_dir), cy + r * 1.35 * math.sin(plant_dir)
    buildings = []
    angle = float(rng.uniform(0, np.pi))
    for _ in range(int(rng.integers(3, 7))):
        bx, by = px + rng.uniform(-0.25, 0.25) * r, py + rng.uniform(-0.25, 0.25) * r
        w, h = float(rng.uniform(15, 50)), float(rng.uniform(10, 30))
        c, s = math.cos(angle), math.sin(angle)
        corners = [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2), (-w / 2, -h / 2)]
        buildings.append([[bx + u * c - v * s, by + u * s + v * c] for u, v in corners])
    # Haul roads: from the rim to each dump and to the plant; a ramp down the pit wall
    rim_dir = plant_dir + rng.uniform(-0.6, 0.6)
    rim = [
        cx + pit.r(np.array([rim_dir]))[0] * math.cos(rim_dir),
        cy + pit.r(np.array([rim_dir]))[0] * math.sin(rim_dir),
    ]
    roads = [[rim, [px, py]]]
    roads += [[rim, [d.shape.cx, d.shape.cy]] for d in dumps]
    floor = float(rng.uniform(0.2, 0.35))
    t = np.linspace(0, 1, 24)
    theta = rim_dir + t * np.pi * 0.9
    rho = 1 - t * (1 - floor)
    radius = pit.r(theta) * rho
    roads.append(np.stack([cx + radius * np.cos(theta), cy + radius * np.sin(theta)], axis=1).tolist())
    lease = r * 1.3 + max(
        [math.hypot(d.shape.cx - cx, d.shape.cy - cy) + d.shape.radius for d in dumps] + [r]
    )
    return Mine(mid, pit, depth, benches, floor, dumps, ponds, buildings, roads, lease, expansion_dir)


def _mine_changes(rng, mine: Mine, scale: float, kinds: list[str]) -> list[tuple[str, object]]:
    """Change polygons (OGR) of one mine at magnitude ``scale``; fills the mine's after state."""
    r = mine.pit.radius
    pit_before = polygon(mine.pit.ring())
    mine.after_pit = mine.pit.grown(scale * 0.35 * r, mine.expansion_dir)
    pit_after = polygon(mine.after_pit.ring())
    dumps_before = union([polygon(d.shape.ring()) for d in mine.dumps])
    out = []
    if "pit_expansion" in kinds:
        out.append(("pit_expansion", difference(pit_after, pit_before)))
    if "pit_deepening" in kinds:
        mine.after_depth = mine.depth * (mine.benches + 1) / mine.benches
        mine.after_floor = mine.floor * 0.75
        out.append(("pit_deepening", polygon(mine.pit.scaled(mine.floor).ring())))
    if "dump_growth" in kinds and mine.dumps:
        d = mine.dumps[0]
        away = math.atan2(d.shape.cy - mine.pit.cy, d.shape.cx - mine.pit.cx) + rng.uniform(-0.8, 0.8)
        grown = Dump(d.shape.grown(scale * 0.6 * d.shape.radius, away), d.height, d.terraces)
        mine.after_dumps[0] = grown
        region = difference(difference(polygon(grown.shape.ring()), dumps_before), pit_after)
        out.append(("dump_growth", region))
    if "new_pond" in kinds:
        direction = mine.expansion_dir - np.pi / 2 + rng.uniform(-0.4, 0.4)
        rp = scale * 0.25 * r
        dist = mine.after_pit.r(np.array([direction]))[0] + rp * 1.4 + 20
        pond = _radial(
            rng, mine.pit.cx + dist * math.cos(direction), mine.pit.cy + dist * math.sin(direction), rp, 0.1
        )
        out.append(("new_pond", difference(difference(polygon(pond.ring()), dumps_before), pit_after)))
    if "stripping" in kinds:
        d = mine.expansion_dir + rng.uniform(-0.3, 0.3)
        rs = scale * 0.3 * r
        dist = mine.after_pit.r(np.array([d]))[0] + rs * 0.7
        blob = _radial(rng, mine.pit.cx + dist * math.cos(d), mine.pit.cy + dist * math.sin(d), rs, 0.15)
        out.append(("stripping", difference(difference(polygon(blob.ring()), pit_after), dumps_before)))
    if "reclamation" in kinds and len(mine.dumps) > (1 if "dump_growth" in kinds else 0):
        d = mine.dumps[-1].shape
        direction = math.atan2(d.cy - mine.pit.cy, d.cx - mine.pit.cx) + rng.uniform(-0.5, 0.5)
        part = polygon(d.ring()).Intersection(
            wedge(d.cx, d.cy, 2 * d.reach(), direction, min(1.4, 0.5 + scale * 0.6))
        )
        out.append(("reclamation", part))
    return out


MAX_CHANGE_SCALE = 2.5


def _changes_at(seed, mine_list, kinds, scale, scene_box, pixel_size):
    """Disjoint change polygons of all mines at magnitude ``scale``, and their total area."""
    plans, taken = [], None
    for mine, k in zip(mine_list, kinds):
        local = np.random.default_rng([seed, 11, mine.id])
        for ctype, geom in _mine_changes(local, mine, scale, k):
            geom = difference(geom, taken)
            geom = geom.Intersection(scene_box) if geom is not None else None
            if geom is None or geom.IsEmpty() or geom.Area() < 50 * pixel_size**2:
                continue
            plans.append((ctype, mine.id, geom))
            taken = union([taken, geom])
    return plans, (taken.Area() if taken is not None else 0.0)


def _grow_mines(rng, seed, sites, mines, n_mines, target, scene_box, pixel_size, size_m, origin):
    """Mines and their change kinds; without a mine count, mines are added until the changes can
    reach the target area."""
    r_scale = max(1.0, pixel_size / 2)
    while True:
        mine_list, kinds = [], []
        for i, (cx, cy, r) in enumerate(sites):
            local = np.random.default_rng([seed, 13, i])  # adding a mine leaves the others as they were
            mine_list.append(_build_mine(local, i + 1, cx, cy, r))
            # Every mine's pit expands; two to four other kinds of change
            extra = list(local.choice(CHANGE_TYPES[1:], size=int(local.integers(2, 5)), replace=False))
            kinds.append(["pit_expansion", *extra])
        if mines is not None or len(sites) >= 4 * n_mines + 4:
            return mine_list, kinds
        _, reachable = _changes_at(seed, mine_list, kinds, MAX_CHANGE_SCALE, scene_box, pixel_size)
        if reachable >= target:
            return mine_list, kinds
        more = _place_mines(rng, 1, size_m, origin, r_scale, existing=sites)
        if not more:
            return mine_list, kinds
        sites += more


def _fit_changes(seed, mine_list, kinds, scene_box, pixel_size, size_m, change_fraction):
    """The changes, scaled by bisection until their area is within the requested fraction."""
    lo, hi = change_fraction
    target = (lo + hi) / 2 * size_m**2
    low, high = 0.05, MAX_CHANGE_SCALE
    plans, area = _changes_at(seed, mine_list, kinds, 1.0, scene_box, pixel_size)
    for _ in range(18):  # bisection on the change magnitude
        if lo * size_m**2 <= area <= hi * size_m**2 and abs(area - target) < 0.15 * target:
            break
        mid = (low + high) / 2
        plans, area = _changes_at(seed, mine_list, kinds, mid, scene_box, pixel_size)
        if area < target:
            low = mid
        else:
            high = mid
    changes = []
    for i, (ctype, mine_id, geom) in enumerate(plans):
        xmin, xmax, ymin, ymax = geom.GetEnvelope()
        changes.append(
            Change(
                i + 1, ctype, mine_id, json.loads(geom.ExportToJson()), geom.Area(), (xmin, ymin, xmax, ymax)
            )
        )
    return changes, area


def _roads(rng, area_km2, size_m, origin) -> list:
    """Regional roads crossing the scene."""
    roads = []
    for _ in range(int(rng.integers(1, 3 + int(area_km2 // 20)))):
        start_side = rng.integers(0, 2)
        pts = []
        for t in np.linspace(0, 1, 6):
            along = t * size_m
            across = float(rng.uniform(0.1, 0.9)) * size_m
            x, y = (along, across) if start_side == 0 else (across, along)
            pts.append([origin[0] + x, origin[1] - y])
        roads.append(pts)
    return roads


def _settlements(rng, mix, area_km2, size_m, origin, mine_list) -> list:
    """Villages outside every mine lease."""
    settlements = []
    for _ in range(rng.poisson(mix["settlements_per_km2"] * area_km2) + (1 if area_km2 > 3 else 0)):
        cx = origin[0] + float(rng.uniform(0, size_m))
        cy = origin[1] - float(rng.uniform(0, size_m))
        radius = float(rng.uniform(120, 350))
        if all(math.hypot(cx - m.pit.cx, cy - m.pit.cy) > m.lease + radius for m in mine_list):
            settlements.append((cx, cy, radius))
    return settlements


def _dates(rng, s: float, misregistration: float, seed: int) -> list[DateLook]:
    """How the two dates look: season, sun, radiometry, haze, shift, SAR humidity (strength s)."""
    season0 = float(rng.uniform(0.0, 0.3))
    season1 = float(np.clip(season0 + s * rng.uniform(0.4, 0.7), 0, 1))
    azimuth0, elevation0 = float(rng.uniform(120, 170)), float(rng.uniform(45, 65))
    return [
        DateLook(season0, azimuth0, elevation0, [1.0, 1.0, 1.0, 1.0], [0.0] * 4, float(rng.uniform(0, 0.02))),
        DateLook(
            season1,
            azimuth0 + s * float(rng.uniform(20, 50)) * rng.choice([-1, 1]),
            float(np.clip(elevation0 - s * rng.uniform(15, 30), 15, 80)),
            [float(1 + s * g) for g in rng.uniform(-0.18, 0.18, 4)],
            [float(s * o) for o in rng.uniform(-0.03, 0.03, 4)],
            float(s * rng.uniform(0.02, 0.08)),
            shift=tuple(float(v) for v in rng.uniform(-1, 1, 2) * misregistration / math.sqrt(2)),
            humidity_db=float(s * rng.uniform(1.5, 3.0)) * _moisture_direction(seed),
        ),
    ]


def _equipment(rng, mine_list) -> list[list]:
    """Moving equipment in the pits, drawn anew for each date."""
    equipment = [[], []]
    for mine in mine_list:
        for _ in range(int(rng.integers(4, 12))):
            for date in (0, 1):
                theta = rng.uniform(0, 2 * np.pi)
                rho = rng.uniform(0.2, 1.3)
                rr = mine.pit.r(np.array([theta]))[0] * rho
                equipment[date].append(
                    (mine.pit.cx + rr * math.cos(theta), mine.pit.cy + rr * math.sin(theta))
                )
    return equipment


def plan_scene(
    kind: str = "optical",
    size: int = 2048,
    seed: int = 0,
    pixel_size: float | None = None,
    mines: int | None = None,
    change_fraction: tuple[float, float] = (0.03, 0.08),
    pseudo_strength: float = 1.0,
    misregistration: float = 0.0,
    dtype: str = "uint8",
    mix: dict | None = None,
    origin: tuple[float, float] | None = None,
    earthworks: float = 0.0,
) -> ScenePlan:
    rng = np.random.default_rng([seed, 7])
    pixel_size = pixel_size or (1.0 if kind == "optical" else 5.0)
    size_m = size * pixel_size
    origin = origin or (400_000.0 + 50_000.0 * (seed % 7), 4_500_000.0 - 40_000.0 * (seed % 5))
    mix = mix or default_mix(rng)
    area_km2 = size_m**2 / 1e6
    r_scale = max(1.0, pixel_size / 2)  # coarser pixels: the larger mines such sensors monitor
    n_mines = mines if mines is not None else max(1, int(round(area_km2 / (5.0 * r_scale**2))))

    lo, hi = change_fraction
    target = (lo + hi) / 2 * size_m**2
    scene_box = polygon(
        [
            [origin[0], origin[1]],
            [origin[0] + size_m, origin[1]],
            [origin[0] + size_m, origin[1] - size_m],
            [origin[0], origin[1] - size_m],
            [origin[0], origin[1]],
        ]
    )
    sites = _place_mines(rng, n_mines, size_m, origin, r_scale)
    mine_list, kinds = _grow_mines(
        rng, seed, sites, mines, n_mines, target, scene_box, pixel_size, size_m, origin
    )
    changes, area = _fit_changes(seed, mine_list, kinds, scene_box, pixel_size, size_m, change_fraction)
    roads = _roads(rng, area_km2, size_m, origin)
    settlements = _settlements(rng, mix, area_km2, size_m, origin, mine_list)
    s = pseudo_strength
    dates = _dates(rng, s, misregistration, seed)
    equipment = _equipment(rng, mine_list)

    return ScenePlan(
        earthworks=_place_earthworks(seed, earthworks, size_m, origin, r_scale, mine_list, settlements),
        kind=kind,
        size=size,
        pixel_size=pixel_size,
        seed=seed,
        crs="EPSG:32650",
        origin=origin,
        dtype=dtype,
        thresholds=_quantile_thresholds(seed, size_m, origin, mix),
        farm_angle=float(rng.uniform(0, np.pi / 2)),
        parcel=(float(rng.uniform(60, 140)), float(rng.uniform(120, 280))),
        mines=mine_list,
        roads=roads,
        road_width=float(rng.uniform(8, 14)),
        settlements=settlements,
        changes=changes,
        dates=dates,
        equipment=equipment,
        phase_ramp=(
            float(rng.uniform(0.5, 2.0)) * 2 * np.pi / size_m * 3,
            float(rng.uniform(-0.5, 0.5)) * 2 * np.pi / size_m,
        ),
        pseudo_strength=s,
        requested_change_fraction=(lo, hi),
        planned_change_fraction=area / size_m**2,
        mix=mix,
    )
