"""Commands of the scale-out jobs: batch (many detection jobs from a table, on Dask or here)."""

from __future__ import annotations

import argparse

from .common import ProgressBar, add_dask_arguments


def _cmd_batch(args: argparse.Namespace) -> int:
    from ..batch import read_jobs, run_batch

    read_jobs(args.jobs)  # a bad table is one error line, before any progress bar
    with ProgressBar(not args.quiet) as bar:
        result = run_batch(args.jobs, args.out, args.scheduler, args.workers, progress=bar, log=bar.log)
    print(
        f"{result['ok']} of {result['jobs']} jobs done, {result['failed']} failed, "
        f"{result['changed_area_ha']:.2f} ha changed in {result['runtime_s']:.1f} s -> {result['csv']}"
    )
    if result["failed"] or result["not run"]:
        return 2 if result["ok"] == 0 else 1
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "batch",
        help="run many detection jobs from a table (CSV or GeoPackage), on Dask or here",
        description="Run the jobs of a table with the columns name, before, after, detector (and any "
        "detect option: bands, aoi, min_area, threshold, overlap, coherence, probability, polygons, ...). "
        "Each job writes OUT/<name>/mask.tif, changes.gpkg and summary.json; OUT/batch.csv and "
        "batch.json list every job. A rerun skips the jobs already done. Exit code 0: all done, "
        "1: some failed, 2: none could run.",
    )
    p.add_argument("jobs", metavar="JOBS", help="jobs table: a CSV file, or file.gpkg[|layername=TABLE]")
    p.add_argument("--out", required=True, help="output folder (one subfolder per job)")
    add_dask_arguments(p)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_batch)
