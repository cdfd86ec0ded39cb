"""Many detection jobs from a table: one output folder per job, a summary for the whole batch.

``JOBS`` is a CSV file (or a GeoPackage table) with the columns name, before, after, detector and
any detect option (bands, aoi, min_area, threshold, overlap, coherence, window, units,
threshold_method, runtime, precision, context, tile, probability, polygons); other columns (a
licence number, a note) are carried into the summary. Relative paths are relative to the table.
Jobs run on Dask workers (one job per worker process at a time) or one after the other here. A job
is done once its ``summary.json`` is in place: a rerun skips it; a failed job is reported with its
error and does not stop the others.
"""

from __future__ import annotations

import csv
import json
import re
import time
from pathlib import Path

from . import __version__
from .errors import Cancelled, MineCDError
from .raster import is_virtual
from .scale.cluster import worker_name
from .scale.records import digest, file_identity, write_json_atomic, write_text_atomic

REQUIRED = ("name", "before", "after", "detector")
OPTIONS = {  # column -> (DetectionRequest field, type)
    "bands": ("bands", "bands"),
    "aoi": ("aoi", "path"),
    "min_area": ("min_area_m2", float),
    "threshold": ("threshold", float),
    "overlap": ("overlap", int),
    "coherence": ("coherence", "path"),
    "window": ("window", str),
    "units": ("units", str),
    "threshold_method": ("threshold_method", str),
    "runtime": ("runtime", str),
    "precision": ("precision", str),
    "context": ("context", str),
    "flips": ("flips", str),
    "tile": ("tile", int),
    "batch": ("batch", int),
}
SWITCHES = {"probability": False, "polygons": True}  # yes/no columns and their defaults
SUMMARY_COLUMNS = (
    "name",
    "status",
    "detector",
    "changed_area_ha",
    "changed_area_m2",
    "changed_pixels",
    "polygon_count",
    "runtime_s",
    "worker",
    "error",
    "mask",
    "polygons",
)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]*$")


# ------------------------------------------------------------------------------------- the table
def read_jobs(path: str | Path) -> list[dict]:
    """The jobs of a CSV file or GeoPackage table (``file.gpkg`` or ``file.gpkg|layername=t``)."""
    text = str(path)
    source, _, layer = text.partition("|layername=")
    source_path = Path(source)
    if not source_path.is_file():
        raise MineCDError(f"{source}: jobs table not found")
    if source_path.suffix.lower() == ".gpkg":
        rows = _gpkg_rows(source_path, layer or None)
    else:
        rows = _csv_rows(source_path)
    return [_job(row, i + 2, source_path.parent, text) for i, row in enumerate(_checked(rows, text))]


def _csv_rows(path: Path) -> list[dict]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            sample = f.read(4096)
            f.seek(0)
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
            return [dict(row) for row in csv.DictReader(f, dialect=dialect)]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise MineCDError(f"{path}: cannot read this jobs table ({exc})") from None


def _gpkg_rows(path: Path, layer: str | None) -> list[dict]:
    from osgeo import ogr

    ds = ogr.Open(str(path))
    if ds is None:
        raise MineCDError(f"{path}: cannot read this GeoPackage")
    table = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    if table is None:
        raise MineCDError(f"{path}: no table '{layer}' in this GeoPackage")
    names = [
        table.GetLayerDefn().GetFieldDefn(i).GetName() for i in range(table.GetLayerDefn().GetFieldCount())
    ]
    return [{n: feature.GetField(n) for n in names} for feature in table]


def _checked(rows: list[dict], source: str) -> list[dict]:
    rows = [{(k or "").strip().lower(): v for k, v in row.items()} for row in rows]
    if not rows:
        raise MineCDError(f"{source}: the jobs table has no rows")
    missing = [c for c in REQUIRED if c not in rows[0]]
    if missing:
        raise MineCDError(
            f"{source}: the jobs table lacks the column(s) {', '.join(missing)} "
            f"(needed: {', '.join(REQUIRED)})"
        )
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        name = str(row.get("name") or "").strip()
        if not _NAME.match(name) or name in (".", ".."):
            raise MineCDError(
                f"{source}, line {line}: job name '{name}' must start with a letter or digit and use only "
                "letters, digits, spaces, '.', '_' and '-' (it names the job's output folder)"
            )
        if name.lower() in seen:
            raise MineCDError(
                f"{source}: job name '{name}' appears twice (lines {seen[name.lower()]} and {line})"
            )
        seen[name.lower()] = line
    return rows


def _resolve(value: str, folder: Path) -> str:
    text = str(value).strip()
    if is_virtual(text) or re.match(r"^-?[\d.]+,", text):
        return text  # a GDAL virtual path, a URL, or a bounding box
    path = Path(text).expanduser()
    return str(path if path.is_absolute() else (folder / path).resolve())


def _switch(value, default: bool, where: str) -> bool:
    text = str(value if value is not None else "").strip().lower()
    if text == "":
        return default
    if text in ("1", "yes", "true", "y"):
        return True
    if text in ("0", "no", "false", "n"):
        return False
    raise MineCDError(f"{where}: '{value}' is not yes or no")


def _job(row: dict, line: int, folder: Path, source: str) -> dict:
    where = f"{source}, line {line}"
    options, extra = {}, {}
    for column, value in row.items():
        if column in REQUIRED or column in SWITCHES:
            continue
        if column not in OPTIONS:
            extra[column] = value
            continue
        if value is None or str(value).strip() == "":
            continue
        field, kind = OPTIONS[column]
        try:
            if kind == "path":
                options[field] = _resolve(value, folder)
            elif kind == "bands":
                options[field] = [int(v) for v in str(value).replace(";", ",").split(",") if v.strip()]
            else:
                options[field] = kind(str(value).strip())
        except ValueError:
            raise MineCDError(f"{where}: {column} '{value}' is not valid") from None
    detector = str(row["detector"] or "").strip()
    if not detector:
        raise MineCDError(f"{where}: no detector")
    if Path(detector).suffix.lower() in (".pt", ".pth", ".onnx"):
        detector = _resolve(detector, folder)
    return {
        "name": str(row["name"]).strip(),
        "before": _resolve(row["before"], folder),
        "after": _resolve(row["after"], folder),
        "detector": detector,
        "options": options,
        "switches": {k: _switch(row.get(k), d, f"{where}: {k}") for k, d in SWITCHES.items()},
        "extra": extra,
    }


def job_key(job: dict) -> str:
    """Fingerprint: the job's row and the identity of its files (changed inputs are redone)."""
    files = [
        job["before"],
        job["after"],
        job["detector"],
        job["options"].get("aoi"),
        job["options"].get("coherence"),
    ]
    return digest(
        {
            "job": {k: job[k] for k in ("name", "detector", "options", "switches")},
            "files": [file_identity(f) for f in files if f],
            "minecd": __version__,
        }
    )


# ------------------------------------------------------------------------------------- one job
def run_job(job: dict, out_dir: str, cancel=None) -> dict:
    """Task: run one job into ``out_dir/<name>/``; returns its summary row (plain data)."""
    from .detect import run_request
    from .request import DetectionRequest

    folder = Path(out_dir) / job["name"]
    started = time.perf_counter()
    worker = worker_name()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        switches = job["switches"]
        request = DetectionRequest(
            before=job["before"],
            after=job["after"],
            detector=job["detector"],
            out=str(folder / "mask.tif"),
            prob_out=str(folder / "probability.tif") if switches["probability"] else None,
            polygons_out=str(folder / "changes.gpkg") if switches["polygons"] else None,
            **job["options"],
        )
        summary = run_request(request, cancel=cancel)
    except MineCDError as exc:
        row = {"status": "failed", "error": str(exc)}
    except Cancelled:
        raise
    except Exception as exc:  # a bug or a broken file: reported, the other jobs go on
        row = {"status": "failed", "error": f"{type(exc).__name__}: {exc}"}
    else:
        row = {"status": "ok", "error": "", **summary}
        write_json_atomic(folder / "summary.json", {"key": job_key(job), "status": "ok", **summary})
    row.update(
        name=job["name"],
        detector=job["detector"],
        worker=worker,
        runtime_s=round(time.perf_counter() - started, 3),
    )
    return row


def finished(job: dict, out_dir: Path) -> dict | None:
    """The summary of an earlier successful run of this very job, or None."""
    try:
        done = json.loads((out_dir / job["name"] / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if done.get("key") != job_key(job) or done.get("status") != "ok":
        return None
    return {**done, "name": job["name"], "detector": job["detector"], "error": "", "worker": "earlier run"}


# ------------------------------------------------------------------------------------- the batch
def run_batch(
    jobs_table: str | Path,
    out_dir: str | Path,
    scheduler: str | None = None,
    workers: int | None = None,
    progress=None,
    cancel=None,
    log=None,
) -> dict:
    """Run every job of the table; write ``out_dir/batch.csv`` and ``batch.json``."""
    from .progress import Progress
    from .scale.cluster import connect, parse_scheduler, wanted

    report = Progress(progress, cancel, log)
    jobs = read_jobs(jobs_table)
    if wanted(scheduler, workers):
        parse_scheduler(scheduler, workers)
    out_dir = Path(out_dir).resolve()  # workers may run elsewhere: they get whole paths
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MineCDError(f"{out_dir}: cannot create the output folder ({exc.strerror})") from None
    rows: dict[str, dict] = {}
    for job in jobs:
        earlier = finished(job, out_dir)
        if earlier is not None:
            rows[job["name"]] = {**earlier, "status": "ok", "resumed": True}
    if rows:
        report.info(f"resuming: {len(rows)} of {len(jobs)} jobs were done by an earlier run")
    todo = [job for job in jobs if job["name"] not in rows]
    started = time.perf_counter()
    report.stage(0.0, 1.0, "jobs")
    info = {"scheduler": None}

    def record(row: dict) -> None:
        rows[row["name"]] = {**row, "extra": next(j["extra"] for j in jobs if j["name"] == row["name"])}
        report.update(len(rows) / len(jobs), f"job {len(rows)}/{len(jobs)}")
        if row["status"] != "ok":
            report.info(f"{row['name']}: {row['error']}")

    try:
        if todo and wanted(scheduler, workers):
            with connect(scheduler, workers, log=report.info) as cluster:
                info = {
                    "scheduler": cluster.where,
                    "dashboard": cluster.client.dashboard_link,
                    "workers": cluster.workers,
                }
                _run_on_dask(cluster, todo, out_dir, record, report.cancel)
        else:
            for job in todo:
                report.cancel.raise_if_cancelled()
                record(run_job(job, str(out_dir), report.cancel))
    finally:
        result = _summary(jobs, rows, out_dir, time.perf_counter() - started, info)
    return result


def _run_on_dask(cluster, jobs: list[dict], out_dir: Path, record, cancel) -> None:
    from distributed.scheduler import KilledWorker

    from .scale.cluster import completed

    client = cluster.client
    task = cluster.remote("batch.run_job")
    futures = {
        client.submit(task, job, str(out_dir), key=f"minecd-job-{job_key(job)[:12]}-{i}"): job
        for i, job in enumerate(jobs)
    }
    try:
        for future in completed(list(futures), cancel):
            job = futures[future]
            try:
                row = future.result()
            except KilledWorker:
                row = {
                    "name": job["name"],
                    "detector": job["detector"],
                    "status": "failed",
                    "error": "Dask lost every worker that ran this job (out of memory?)",
                }
            except Exception as exc:
                row = {
                    "name": job["name"],
                    "detector": job["detector"],
                    "status": "failed",
                    "error": f"{type(exc).__name__}: {exc}",
                }
            record(row)
    except BaseException:
        client.cancel(list(futures), force=True)
        raise


def _summary(jobs: list[dict], rows: dict, out_dir: Path, seconds: float, info: dict) -> dict:
    ordered = []
    for job in jobs:
        row = rows.get(job["name"]) or {
            "name": job["name"],
            "detector": job["detector"],
            "status": "not run",
            "error": "interrupted before this job ran",
        }
        ordered.append(row)
    extra_columns = list(dict.fromkeys(k for job in jobs for k in job["extra"]))
    table = []
    for row in ordered:
        line = {c: row.get(c) for c in SUMMARY_COLUMNS}
        for column, digits in (("changed_area_ha", 4), ("changed_area_m2", 1)):
            if line[column] is not None:
                line[column] = round(line[column], digits)
        line["polygons"] = row.get("polygons")
        line["resumed"] = bool(row.get("resumed"))
        for column in extra_columns:
            line[column] = (
                row.get("extra") or next(j["extra"] for j in jobs if j["name"] == row["name"])
            ).get(column)
        table.append(line)
    counts = {s: sum(1 for r in table if r["status"] == s) for s in ("ok", "failed", "not run")}
    result = {
        "minecd_version": __version__,
        "jobs": len(jobs),
        **counts,
        "changed_area_ha": round(sum(r["changed_area_ha"] or 0 for r in table if r["status"] == "ok"), 4),
        "runtime_s": round(seconds, 3),
        "dask": info,
        "results": table,
        "csv": str(out_dir / "batch.csv"),
        "json": str(out_dir / "batch.json"),
    }
    write_json_atomic(out_dir / "batch.json", result)
    _write_csv(out_dir / "batch.csv", table)
    return result


def _write_csv(path: Path, table: list[dict]) -> None:
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(table[0]), lineterminator="\n")
    writer.writeheader()
    for row in table:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    write_text_atomic(path, buffer.getvalue())
