"""Commands of mine monitoring: monitor (a series of images against mining licences)."""

from __future__ import annotations

import argparse

from .common import ProgressBar, add_dask_arguments, int_list


def _cmd_monitor(args: argparse.Namespace) -> int:
    from ..monitor.run import monitor

    dates = [d for d in args.dates.split(",") if d.strip()] if args.dates else None
    with ProgressBar(not args.quiet) as bar:
        result = monitor(
            args.images,
            args.licences,
            args.detector,
            args.out,
            dates=dates,
            licence_field=args.licence_field,
            buffer_m=args.buffer,
            min_area_m2=args.min_area,
            bands=args.bands,
            scheduler=args.scheduler,
            workers=args.workers,
            first_last=args.first_last,
            progress=bar,
            log=bar.log,
        )
    for p in result["periods"]:
        print(
            f"period {p['period']} {p['date_from']} -> {p['date_to']}: {p['changed_ha']:.2f} ha changed, "
            f"{p['inside_ha']:.2f} inside licences, {p['outside_ha']:.2f} outside; "
            f"{p['crossing_changes']} crossing a boundary, {p['unlicensed_changes']} outside every licence"
        )
    span = result.get("span")
    if span:
        print(f"first -> last {span['date_from']} -> {span['date_to']}: {span['changed_ha']:.2f} ha changed")
    flagged = [row["licence_id"] for row in result["licences_table"] if row["flags"]]
    print(f"licences flagged: {', '.join(flagged) or 'none'} -> {result['geopackage']}")
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "monitor",
        help="a series of images against mining licences: changes per period, flags",
        description="Detect changes on each consecutive pair of a series and set them against "
        "mining-licence polygons: OUT/monitor.gpkg (changes, licences, periods), OUT/change_date.tif "
        "(first period of change per pixel), OUT/monitor.json, and each period's mask, probability "
        "and polygons in OUT/periods/.",
    )
    p.add_argument("--images", nargs="+", required=True, help="the series, earliest first")
    p.add_argument("--licences", required=True, help="mining-licence polygons (any vector format and CRS)")
    p.add_argument("--detector", required=True, help="cva, irmad, logratio, a bundled model or a checkpoint")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--dates", help="one date per image, e.g. 2019-07-01,2020-07-01 (default: from the names)")
    p.add_argument("--licence-field", help="the licence id field (default: the first text or integer field)")
    p.add_argument(
        "--buffer", type=float, default=100.0, help="zone around each licence watched (m, default 100)"
    )
    p.add_argument("--min-area", type=float, default=0.0, help="drop change polygons below this area (m²)")
    p.add_argument("--bands", type=int_list, help="bands to use in every image, e.g. 3,2,1")
    p.add_argument(
        "--first-last", action="store_true", help="also the whole span, first image to last (period 0)"
    )
    add_dask_arguments(p)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_monitor)
