"""Land-cover classes of synthetic scenes (uint8 codes in classes.tif)."""

WATER, FOREST, GRASS, FARMLAND, BARE, ROCK, ROAD, BUILDING = 1, 2, 3, 4, 5, 6, 7, 8
BENCH, PIT_FLOOR, DUMP, TAILINGS, PLANT, HAUL_ROAD, STRIPPED, RECLAIMED, TRACK = (
    9,
    10,
    11,
    12,
    13,
    14,
    15,
    16,
    17,
)
CLASS_NAMES = {
    WATER: "water",
    FOREST: "forest",
    GRASS: "grassland",
    FARMLAND: "farmland",
    BARE: "bare soil",
    ROCK: "rock outcrop",
    ROAD: "road",
    BUILDING: "building",
    BENCH: "pit bench",
    PIT_FLOOR: "pit floor",
    DUMP: "waste dump",
    TAILINGS: "tailings pond",
    PLANT: "plant building",
    HAUL_ROAD: "haul road",
    STRIPPED: "stripped land",
    RECLAIMED: "reclaimed land",
    TRACK: "field track",
}
