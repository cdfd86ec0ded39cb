"""Training data from a GIS user's material: (before, after, change labels) per scene.

Chips are cut by the inference tiling (``TileReader``, with the same neighbourhood context and
edge policy), normalised with statistics of the training scenes, and cached on disk as
memory-mapped arrays, so memory stays bounded however much data there is. Labels may be partial
(``labels.py``): a chip is kept when it holds labelled pixels. Splits are by site (three or more
scenes) or, on one or two scenes, by spatially disjoint blocks of the *labelled* pixels (a chip
then carries only its split's labels), never by random chips.

What a chip holds comes from the architecture's chip maker (``archs/*.py``: ``arrays``,
``prepare``, ``cut``, ``statistics_values``, ``group``, ``normalise_in_cache``); this module
knows no architecture.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..archs.base import IGNORE, UNLABELLED
from ..errors import MineCDError
from ..normalise import apply, fit
from ..raster import InputStack, Window, gdal_env
from ..tiling import TileGrid, TileReader
from .labels import SceneLabels, labelled_pixels

SPLITS = ("train", "val", "test")
MIN_LABELLED_PIXELS = 200  # fewer labelled pixels in all scenes: refuse to train
MIN_VALIDATION_BLOCKS = 5  # labelled blocks a scene needs before some are held out for validation
MIN_VALIDATION_PIXELS = 2000


@dataclass
class Scene:
    """One training pair. ``labels``: a raster (non-zero = change) or a polygon file."""

    before: Path
    after: Path
    labels: Path | None  # None: an unlabelled scene (pseudo-labelling)
    name: str
    extra: dict[str, Path] = field(default_factory=dict)  # aligned rasters, e.g. {"coherence": ...}
    aoi: str | None = None
    label_area: Path | None = None  # polygons: outside them nothing is labelled

    @classmethod
    def from_dir(
        cls, folder: str | os.PathLike, extra_names: tuple[str, ...] = (), labelled: bool = True
    ) -> Scene:
        folder = Path(folder)
        if not folder.is_dir():
            raise MineCDError(f"{folder}: training folder not found")
        labels = next((folder / n for n in ("labels.tif", "labels.gpkg") if (folder / n).exists()), None)
        missing = [n for n in ("before.tif", "after.tif") if not (folder / n).exists()]
        if labels is None and labelled:
            missing.append("labels.tif or labels.gpkg")
        if missing:
            raise MineCDError(f"{folder}: missing {', '.join(missing)}")
        extra = {n: folder / f"{n}.tif" for n in extra_names if (folder / f"{n}.tif").exists()}
        area = folder / "label_area.gpkg"
        return cls(
            folder / "before.tif",
            folder / "after.tif",
            labels,
            folder.name,
            extra,
            label_area=area if area.exists() and labelled else None,
        )

    def open(
        self, bands: list[int] | None, band_count: int | None, extra: tuple[str, ...] = ()
    ) -> InputStack:
        """The scene's rasters on one grid: before, after and the ``extra`` inputs."""
        paths = {"before": self.before, "after": self.after}
        for name in extra:
            if name not in self.extra:
                raise MineCDError(f"{self.before.parent}: missing {name}.tif")
            paths[name] = self.extra[name]
        count = {"before": band_count, "after": band_count, **dict.fromkeys(extra, 1)}
        return InputStack(paths, {"before": bands, "after": bands}, self.aoi, count)

    def usable_bands(self) -> list[int]:
        """The bands of the before raster that are not alpha."""
        with gdal_env(), InputStack({"before": self.before}) as stack:
            return list(stack.source("before").bands)

    def open_labels(self, stack: InputStack) -> SceneLabels:
        return SceneLabels(self.labels, stack, self.label_area)


# ---------------------------------------------------------------- splits
def split_by_site(scenes: list[Scene], seed: int) -> dict[str, str]:
    order = list(np.random.default_rng(seed).permutation(len(scenes)))
    n = len(scenes)
    n_test = max(1, round(0.2 * n))
    n_val = max(1, round(0.2 * n))
    names = {}
    for rank, i in enumerate(order):
        names[scenes[i].name] = "test" if rank < n_test else "val" if rank < n_test + n_val else "train"
    return names


class LabelBlocks:
    """Square blocks of a scene's labelled pixels, each assigned to train or val."""

    def __init__(self, extent: Window, side: int, split: dict[tuple[int, int], str]):
        self.extent, self.side, self.split = extent, side, split

    def of(self, window: Window, splits: tuple[str, ...]) -> np.ndarray:
        """Per pixel of ``window``: the index in ``splits`` of its block's split (-1: none)."""
        rows = (np.arange(window.row, window.row_end) - self.extent.row) // self.side
        cols = (np.arange(window.col, window.col_end) - self.extent.col) // self.side
        code = {name: i for i, name in enumerate(splits)}
        table = np.full((rows.max() + 2, cols.max() + 2), -1, dtype=np.int8)
        for (r, c), name in self.split.items():
            if 0 <= r < table.shape[0] and 0 <= c < table.shape[1]:
                table[r, c] = code.get(name, -1)
        return table[np.clip(rows, 0, None)[:, None], np.clip(cols, 0, None)[None, :]]


def split_by_blocks(counts: dict[tuple[int, int], tuple[int, int]], seed: int) -> dict[tuple[int, int], str]:
    """Labelled blocks ({block: (labelled, change) pixels}) -> train or val (about 1 in 5).

    No validation when a scene has too few labelled blocks or pixels. When possible the
    validation blocks hold some change, so the validation F1 means something.
    """
    blocks = sorted(b for b, (n, _) in counts.items() if n > 0)
    split = dict.fromkeys(blocks, "train")
    labelled = sum(counts[b][0] for b in blocks)
    if len(blocks) < MIN_VALIDATION_BLOCKS or labelled < MIN_VALIDATION_PIXELS:
        return split
    order = [blocks[i] for i in np.random.default_rng(seed).permutation(len(blocks))]
    n_val = max(1, round(0.2 * len(blocks)))
    val, rest = order[:n_val], order[n_val:]
    change = [b for b in order if counts[b][1] > 0]
    if len(change) >= 2 and not set(change) & set(val):  # validate on some change...
        val[-1] = change[0]
    if change and set(change) <= set(val):  # ...but keep some to learn from
        calm = next((b for b in rest if b not in change), None)
        if calm is not None:
            val[val.index(change[-1])] = calm
    for b in val:
        split[b] = "val"
    return split


# ---------------------------------------------------------------- chip cache
class ChipSet:
    """Memory-mapped chips of one split: inputs (N, C, T, T) float16, labels (N, T, T) uint8."""

    def __init__(self, folder: Path, name: str):
        self.folder = folder
        self.name = name
        meta = json.loads((folder / f"{name}.json").read_text())
        self.roles: list[str] = meta["roles"]
        self.count: int = meta["count"]
        self.sources: list = meta["sources"]
        self.arrays = {role: np.load(folder / f"{name}_{role}.npy", mmap_mode="r") for role in self.roles}
        self.labels = np.load(folder / f"{name}_labels.npy", mmap_mode="r")

    def __len__(self) -> int:
        return self.count

    def change_fraction(self) -> np.ndarray:
        """Per chip: fraction of valid pixels labelled change."""
        out = np.zeros(self.count, dtype=np.float32)
        for i in range(self.count):
            lab = self.labels[i]
            valid = labelled_pixels(lab)
            out[i] = (lab[valid] == 1).mean() if valid.any() else 0.0  # valid: labelled
        return out


@dataclass
class ChipSpec:
    tile: int = 256
    overlap: bool = False  # also cut chips on a grid shifted by half a tile (more training chips)
    split: str = "auto"  # auto | site | blocks | given (use ``assign``)
    seed: int = 0
    assign: dict[str, str] | None = None  # scene name -> train | val | test (split="given")


def _grids(stack: InputStack, spec: ChipSpec) -> list[TileGrid]:
    grids = [TileGrid(stack.extent, spec.tile)]
    if spec.overlap:
        half = spec.tile // 2
        e = stack.extent
        if e.width > spec.tile and e.height > spec.tile:
            grids.append(
                TileGrid(Window(e.col + half, e.row + half, e.width - half, e.height - half), spec.tile)
            )
    return grids


def build_chips(
    scenes: list[Scene],
    spec: ChipSpec,
    maker,
    cache: Path,
    progress=None,
    labelled: bool = True,
    log=None,
    stats: dict | None = None,
) -> dict:
    """Cut, normalise (where the maker says) and cache the chips of every split.

    ``labelled=False`` (pseudo-labelling's unlabelled data): every tile goes to one split named
    "unlabelled" whose labels only mark the pixels to pseudo-label (0) and the others (255:
    no data, or labelled already when the scene has labels); normalised with ``stats`` (those
    of the labelled training chips).
    """
    cache.mkdir(parents=True, exist_ok=True)
    if not scenes:
        raise MineCDError("no training scenes given")
    splits = SPLITS if labelled else ("unlabelled",)
    mode = spec.split if spec.split != "auto" else ("site" if len(scenes) >= 3 else "blocks")
    if labelled and mode == "site" and len(scenes) < 3:
        raise MineCDError("splitting by site needs at least 3 scenes (train, validation, test)")
    site_split = split_by_site(scenes, spec.seed) if labelled and mode == "site" else None
    if mode == "given":
        site_split = {s.name: (spec.assign or {}).get(s.name, "train") for s in scenes}

    plan, blocks, labelled_count, change_count = [], {}, dict.fromkeys(splits, 0), 0
    with gdal_env():
        for scene in scenes:
            with scene.open(maker.bands, maker.band_count, maker.extra) as stack:
                grids = _grids(stack, spec)
                if not labelled:
                    for g, grid in enumerate(grids):
                        everything = {
                            (r, c): ("unlabelled",) for r in range(grid.rows) for c in range(grid.cols)
                        }
                        plan.append((scene, g, everything))
                    continue
                side = max(8, spec.tile // 2)
                with _Closing(scene.open_labels(stack)) as scene_labels:
                    counts = _scan_labels(scene_labels, grids[0], stack.extent, side)
                if site_split:
                    block_split = dict.fromkeys(
                        (b for b, (n, _) in counts.items() if n), site_split[scene.name]
                    )
                else:
                    block_split = split_by_blocks(counts, spec.seed)
                    blocks[scene.name] = LabelBlocks(stack.extent, side, block_split)
                for b, name in block_split.items():
                    labelled_count[name] += counts[b][0]
                    change_count += counts[b][1]
                for g, grid in enumerate(grids):
                    tiles = _tile_splits(grid, stack.extent, side, block_split)
                    if g:  # shifted grids only add training chips
                        tiles = {k: ("train",) for k, v in tiles.items() if "train" in v}
                    plan.append((scene, g, tiles))
        total_labelled = sum(labelled_count.values())
        if labelled and total_labelled < MIN_LABELLED_PIXELS:
            raise MineCDError(
                f"{'no' if not total_labelled else f'only {total_labelled}'} labelled pixels in the data "
                "(inside the labelled area, on the rasters): label at least a few hundred "
                "(0 no change, 1 change; 255 or nodata = not labelled)"
            )
        if labelled and not change_count:
            raise MineCDError(
                "the labels hold no change pixel: digitise at least one change polygon "
                "(inside the labelled area) for the model to learn from"
            )
        counts = {s: sum(1 for _, _, t in plan for v in t.values() if s in v) for s in splits}
        if counts[splits[0]] == 0:
            raise MineCDError(f"the data give no {splits[0]} chips: add scenes or use larger ones")
        if labelled and (log or print) and counts["val"] == 0:
            why = "no scene given for it" if mode == "given" else "too few labelled pixels to hold some out"
            (log or print)(
                f"no independent validation: {why}; the model is chosen and stopped on its training loss"
            )
        stats = _fit_normalisation(plan, spec, maker) if labelled else stats
        writers = _open_cache(cache, spec, counts, maker)
        done = dict.fromkeys(splits, 0)
        sources = {s: [] for s in splits}
        total = sum(counts.values())
        for scene, g, tiles in plan:
            with scene.open(maker.bands, maker.band_count, maker.extra) as stack:
                scene_labels = scene.open_labels(stack) if scene.labels else None
                with _Closing(scene_labels):
                    grid = _grids(stack, spec)[g]
                    state = maker.prepare(stack, grid)
                    reader = TileReader(
                        stack,
                        grid,
                        context=getattr(maker, "context", False),
                        halo=maker.halo,
                        tiles=tiles.keys(),
                    )
                    for sample in reader:
                        arrays, valid = maker.cut(sample, state)
                        window = sample.tile.window
                        if labelled:
                            labels = scene_labels.read(window, valid)
                        else:
                            free = valid
                            if scene_labels is not None:  # the unlabelled part of a labelled pair
                                free = valid & ~labelled_pixels(scene_labels.read(window, valid))
                            labels = np.where(free, 0, IGNORE).astype(np.uint8)
                        for split in tiles[(sample.tile.row, sample.tile.col)]:
                            own = _only(labels, blocks.get(scene.name), window, split)
                            _store(writers[split], done[split], arrays, valid, own, maker, stats, sample)
                            sources[split].append([scene.name, g, sample.tile.row, sample.tile.col])
                            done[split] += 1
                        if progress:
                            progress(
                                sum(done.values()) / total, f"cutting chips {sum(done.values())}/{total}"
                            )
        for split in splits:
            for arr in writers[split].values():
                arr.flush()
            meta = {"roles": list(maker.arrays()), "count": counts[split], "sources": sources[split]}
            (cache / f"{split}.json").write_text(json.dumps(meta))
    return {
        "split_mode": mode if labelled else "unlabelled",
        "counts": counts,
        "labelled_pixels": labelled_count,
        "normalisation": stats,
        "scenes": {s.name: (site_split or {}).get(s.name, "blocks") for s in scenes},
    }


class _Closing:
    """``with`` for objects that have ``close`` (or None)."""

    def __init__(self, thing):
        self.thing = thing

    def __enter__(self):
        return self.thing

    def __exit__(self, *exc):
        if self.thing is not None:
            self.thing.close()


def _scan_labels(scene_labels: SceneLabels, grid: TileGrid, extent: Window, side: int) -> dict:
    """{block (row, col): (labelled pixels, change pixels)} over the scene, read tile by tile."""
    counts: dict[tuple[int, int], list[int]] = {}
    for r in range(grid.rows):
        for c in range(grid.cols):
            window = grid.window(r, c).intersection(extent)
            if window is None:
                continue
            labels = scene_labels.read(window, np.ones((window.height, window.width), dtype=bool))
            rows = (np.arange(window.row, window.row_end) - extent.row) // side
            cols = (np.arange(window.col, window.col_end) - extent.col) // side
            for br in np.unique(rows):
                for bc in np.unique(cols):
                    part = labels[np.ix_(rows == br, cols == bc)]
                    known = labelled_pixels(part)
                    entry = counts.setdefault((int(br), int(bc)), [0, 0])
                    entry[0] += int(known.sum())
                    entry[1] += int((part == 1).sum())
    return {b: (n, k) for b, (n, k) in counts.items()}


def _tile_splits(grid: TileGrid, extent: Window, side: int, block_split: dict) -> dict:
    """{tile: the splits whose labelled blocks it covers} for the tiles that cover any."""
    tiles = {}
    for r in range(grid.rows):
        for c in range(grid.cols):
            window = grid.window(r, c).intersection(extent)
            if window is None:
                continue
            rows = range((window.row - extent.row) // side, (window.row_end - 1 - extent.row) // side + 1)
            cols = range((window.col - extent.col) // side, (window.col_end - 1 - extent.col) // side + 1)
            found = {block_split[(br, bc)] for br in rows for bc in cols if (br, bc) in block_split}
            if found:
                tiles[(r, c)] = tuple(s for s in SPLITS if s in found)
    return tiles


def _only(labels: np.ndarray, blocks: LabelBlocks | None, window: Window, split: str) -> np.ndarray:
    """The chip's labels for ``split``: other splits' labelled pixels become UNLABELLED."""
    if blocks is None or split == "unlabelled":
        return labels
    other = blocks.of(window, SPLITS) != SPLITS.index(split)
    return np.where(other & labelled_pixels(labels), UNLABELLED, labels).astype(np.uint8)


def _fit_normalisation(plan, spec: ChipSpec, maker) -> dict:
    """Per-channel statistics from a sample of the training tiles (up to 16 per scene)."""
    rng = np.random.default_rng(spec.seed)
    values: dict[str, list] = {}
    for scene, g, tiles in plan:
        train = [k for k, v in tiles.items() if "train" in v]
        if not train or g:
            continue
        picks = [train[i] for i in rng.choice(len(train), min(16, len(train)), replace=False)]
        with scene.open(maker.bands, maker.band_count, maker.extra) as stack:
            grid = _grids(stack, spec)[0]
            state = maker.prepare(stack, grid)
            context = getattr(maker, "context", False)
            for sample in TileReader(stack, grid, context=context, halo=maker.halo, tiles=picks):
                arrays, valid = maker.cut(sample, state)
                for group, v in maker.statistics_values(arrays, valid).items():
                    if v.shape[1]:
                        take = rng.choice(v.shape[1], min(8192, v.shape[1]), replace=False)
                        values.setdefault(group, []).append(v[:, take])
    if not values:
        raise MineCDError("no valid training pixels to compute the normalisation from")
    shared = getattr(maker, "shared_channels", ())
    return {group: fit(maker.normalisation, np.concatenate(v, axis=1), shared) for group, v in values.items()}


def _open_cache(cache: Path, spec: ChipSpec, counts: dict, maker) -> dict:
    writers = {}
    for split, n in counts.items():
        arrays = {}
        for role, channels in maker.arrays().items():
            arrays[role] = np.lib.format.open_memmap(
                cache / f"{split}_{role}.npy", "w+", np.float16, (n, channels, spec.tile, spec.tile)
            )
        arrays["labels"] = np.lib.format.open_memmap(
            cache / f"{split}_labels.npy", "w+", np.uint8, (n, spec.tile, spec.tile)
        )
        writers[split] = arrays
    return writers


def _store(target: dict, i: int, arrays: dict, valid, labels, maker, stats, sample) -> None:
    for role, values in arrays.items():
        if maker.normalise_in_cache:
            ok = maker.context_valid(sample) if role.endswith("_context") else valid
            values = apply(stats[maker.group(role)], values[None], ok[None])[0]
        target[role][i] = values
    target["labels"][i] = labels
