"""The project's reference benchmark: fixed synthetic test sites that no model trains on.

``python -m engine reference`` generates the sites once (cached), runs detectors through the
normal pipeline and reports metrics over all sites (one confusion matrix), per site, and the
false-positive rate inside each kind of pseudo-change area.
"""

from __future__ import annotations

import time
from pathlib import Path

from ..metrics import Confusion, evaluate_files, format_table

# Seeds 9000+ are reserved for testing: training recipes must not use them.
BENCHMARKS = {
    "optical": {"kind": "optical", "size": 2048, "seeds": [9001, 9002, 9003, 9004], "detectors": ["cva"]},
    "sar": {"kind": "sar", "size": 1024, "seeds": [9101, 9102, 9103, 9104], "detectors": ["logratio"]},
}


def ensure_sites(name: str, root: Path, log=print) -> list[Path]:
    from .synthetic import generate, is_current

    spec = BENCHMARKS[name]
    folders = []
    for seed in spec["seeds"]:
        folder = root / name / f"seed_{seed}"
        if not is_current(folder, spec["size"]):
            t0 = time.perf_counter()
            generate(spec["kind"], folder, size=spec["size"], seed=seed)
            log(f"generated {folder} in {time.perf_counter() - t0:.1f} s")
        folders.append(folder)
    return folders


def run_reference(
    name: str, detectors: list[str] | None, root: Path, device: str = "auto", log=print, **detect_options
) -> dict:
    from ..detect import detect_changes
    from .synthetic.generate import PSEUDO_NAMES

    spec = BENCHMARKS[name]
    detectors = detectors or spec["detectors"]
    folders = ensure_sites(name, root, log)
    result = {"benchmark": name, "spec": spec, "detectors": {}}
    for detector in detectors:
        label = Path(detector).stem if detector.endswith(".pt") else detector
        total, sites, runtime = Confusion(), {}, 0.0
        fp_in = {}
        for folder in folders:
            mask = folder / f"pred_{label}.tif"
            summary = detect_changes(
                folder / "before.tif", folder / "after.tif", detector, mask, device=device, **detect_options
            )
            runtime += summary["runtime_s"]
            m = evaluate_files(mask, folder / "labels.tif", folder / "pseudo.tif", PSEUDO_NAMES)
            sites[folder.name] = {k: m[k] for k in ("precision", "recall", "f1", "iou")}
            total += Confusion(m["tp"], m["fp"], m["fn"], m["tn"])
            for region, rate in m["false_positive_rate_in"].items():
                if rate is not None:
                    fp_in.setdefault(region, []).append(rate)
            mask.unlink(missing_ok=True)
        metrics = total.metrics()
        metrics["false_positive_rate_in"] = {k: sum(v) / len(v) for k, v in fp_in.items()}
        metrics["per_site"] = sites
        metrics["runtime_s"] = round(runtime, 2)
        result["detectors"][label] = metrics
        log(format_table({label: metrics}))
    return result
