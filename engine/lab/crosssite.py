"""The SAR paper's cross-site protocol: train on site A, validate on B, test on C (and the swap).

Rows, each over several seeds (mean ± std of the test F1): amplitude only -> + coherence ->
+ augmentations -> + pseudo-labelling. The log-ratio detector on the same test sites is the
baseline; false-alarm rates inside pseudo-change areas come from the sites' pseudo.tif.

Every model and the baseline are also tested on the test site with its dates exchanged. Seasonal
pseudo-changes (fields wetting or drying) run either way in real pairs, so a model that scores
well only on the site as given has learnt the direction of its training site's weather.

A full table trains tens of models, hours on a CPU. Each finished run is recorded in
``runs.json`` in the output folder, so running the same command again continues where it stopped.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path

from ..errors import MineCDError

ROWS = ("amplitude only", "+ coherence", "+ augmentations", "+ pseudo-labelling")


def _options(row: str, seed: int, assign: dict, epochs, batch, device):
    from ..archs.sarunet import SarAugmentConfig
    from ..train.run import Options

    augmented = row in ("+ augmentations", "+ pseudo-labelling")
    return Options(
        epochs=epochs,
        batch=batch,
        device=device,
        seed=seed,
        split="given",
        assign=assign,
        coherence=row != "amplitude only",
        augment=SarAugmentConfig() if augmented else SarAugmentConfig.none(),
        patience=max(10, (epochs or 100) // 3),
    )


def _checkpoint(out: Path, direction: str, row: str, seed: int) -> Path:
    return out / f"{direction.replace('>', '_')}_{ROWS.index(row)}_{seed}.pt"


def _settings(sites, unlabelled, epochs, batch) -> dict:
    return {
        "sites": [str(Path(s).resolve()) for s in sites],
        "unlabelled": [str(Path(u).resolve()) for u in unlabelled],
        "epochs": epochs,
        "batch": batch,
    }


def _finished_runs(out: Path, settings: dict) -> dict:
    """Runs recorded by an earlier call with the same settings (an interrupted table)."""
    record = out / "runs.json"
    if not record.exists():
        return {}
    saved = json.loads(record.read_text())
    if saved.get("settings") != settings:
        raise MineCDError(
            f"{out} holds cross-site runs made with other sites, epochs or batch size; "
            "choose another output folder (or delete its runs.json to start again)"
        )
    return saved["runs"]


def _record_run(out: Path, settings: dict, runs: dict) -> None:
    tmp = out / "runs.json.tmp"
    tmp.write_text(json.dumps({"settings": settings, "runs": runs}, indent=1) + "\n")
    tmp.replace(out / "runs.json")


def _evaluate_site(detector: str, site: Path, work: Path, device: str, time_reversed=False) -> dict:
    """Metrics of ``detector`` on ``site``; ``time_reversed`` exchanges its before and after dates."""
    from ..detect import detect_changes
    from ..metrics import evaluate_files
    from .synthetic.generate import PSEUDO_NAMES

    mask = work / f"{site.name}_{Path(detector).stem}.tif"
    dates = ("after.tif", "before.tif") if time_reversed else ("before.tif", "after.tif")
    detect_changes(site / dates[0], site / dates[1], detector, mask, device=device)
    pseudo = site / "pseudo.tif"
    result = evaluate_files(mask, site / "labels.tif", pseudo if pseudo.exists() else None, PSEUDO_NAMES)
    mask.unlink(missing_ok=True)
    return result


def _reversed_test(checkpoint: str, test_site: Path, work: Path, device: str) -> dict:
    metrics = _evaluate_site(checkpoint, test_site, work, device, time_reversed=True)
    return {
        "reversed_test_f1": metrics["f1"],
        "reversed_false_positive_rate_in": metrics.get("false_positive_rate_in"),
    }


def _mean_std(name: str, values: list[float]) -> dict:
    return {
        f"mean_{name}": statistics.mean(values),
        f"std_{name}": statistics.stdev(values) if len(values) > 1 else 0.0,
    }


def cross_site(
    sites: list[str | Path],
    out: str | Path,
    unlabelled=(),
    seeds=(0, 1, 2),
    epochs=None,
    batch=None,
    device: str = "auto",
    rows=ROWS,
    log=print,
) -> dict:
    from ..train.pseudo import pseudolabel
    from ..train.run import train

    sites = [Path(s) for s in sites]
    if len(sites) != 3:
        raise MineCDError("the cross-site protocol takes three sites: A (train), B (validation), C (test)")
    if len({s.name for s in sites}) < 3:
        raise MineCDError("the three site folders must have different names")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    settings = _settings(sites, unlabelled, epochs, batch)
    finished = _finished_runs(out, settings)
    if finished:
        log(f"continuing: {len(finished)} runs already finished in {out}")
    a, b, c = sites
    directions = {f"{a.name}>{b.name}>{c.name}": (a, b, c), f"{c.name}>{b.name}>{a.name}": (c, b, a)}
    result = {
        "sites": [str(s) for s in sites],
        "seeds": list(seeds),
        "epochs": epochs,
        "rows": {},
        "baseline": {},
    }
    for name, (train_site, val_site, test_site) in directions.items():
        assign = {train_site.name: "train", val_site.name: "val", test_site.name: "test"}
        base = _evaluate_site("logratio", test_site, out, device)
        base_reversed = _evaluate_site("logratio", test_site, out, device, time_reversed=True)
        result["baseline"][name] = {
            "f1": base["f1"],
            "reversed_f1": base_reversed["f1"],
            "false_positive_rate_in": base.get("false_positive_rate_in"),
            "reversed_false_positive_rate_in": base_reversed.get("false_positive_rate_in"),
        }
        log(f"{name}: log-ratio test F1 {base['f1']:.4f}, time-reversed {base_reversed['f1']:.4f}")
        for row in rows:
            runs = []
            for seed in seeds:
                key = f"{name} | {row} | seed {seed}"
                ckpt = _checkpoint(out, name, row, seed)
                if key in finished and ckpt.exists():
                    run = finished[key]
                    if "reversed_test_f1" not in run:  # recorded before the time-reversed test existed
                        run.update(_reversed_test(str(ckpt), test_site, out, device))
                        _record_run(out, settings, finished)
                    runs.append(run)
                    log(f"{key}: test F1 {run['test_f1']:.4f} (finished earlier)")
                    continue
                o = _options(row, seed, assign, epochs, batch, device)
                if row == "+ pseudo-labelling":
                    if not unlabelled:
                        raise MineCDError("the pseudo-labelling row needs unlabelled sites (--unlabelled)")
                    # The "+ augmentations" model of this seed was trained with the same options
                    # on the same labelled data: it is the teacher, no need to train it again.
                    teacher = _checkpoint(out, name, "+ augmentations", seed)
                    r = pseudolabel(
                        [a, b, c],
                        unlabelled,
                        ckpt,
                        o,
                        log=lambda m: None,
                        teacher=teacher if teacher.exists() else None,
                    )
                else:
                    r = train("sarunet", [a, b, c], ckpt, o, log=lambda m: None)
                site_metrics = _evaluate_site(str(ckpt), test_site, out, device)
                run = {
                    "seed": seed,
                    "test_f1": site_metrics["f1"],
                    "chip_test_f1": r["metrics"]["test"]["f1"],
                    "false_positive_rate_in": site_metrics.get("false_positive_rate_in"),
                    "best_epoch": r["best_epoch"],
                    **_reversed_test(str(ckpt), test_site, out, device),
                    **({"kept": r["pseudo_labelling"]["kept"]} if "pseudo_labelling" in r else {}),
                }
                runs.append(run)
                finished[key] = run
                _record_run(out, settings, finished)
                log(f"{key}: test F1 {site_metrics['f1']:.4f}, time-reversed {run['reversed_test_f1']:.4f}")
            result["rows"].setdefault(row, {})[name] = {
                "runs": runs,
                **_mean_std("f1", [x["test_f1"] for x in runs]),
                **_mean_std("reversed_f1", [x["reversed_test_f1"] for x in runs]),
            }
    (out / "crosssite.json").write_text(json.dumps(result, indent=2) + "\n")
    (out / "crosssite.md").write_text(markdown(result))
    return result


def markdown(result: dict) -> str:
    directions = list(result["baseline"])
    columns = [(d, key) for d in directions for key in ("f1", "reversed_f1")]
    header = [f"test F1, {d}" if key == "f1" else "time-reversed" for d, key in columns]
    lines = ["| row | " + " | ".join(header) + " |", "|---|" + "---|" * len(columns)]
    lines.append(
        "| log-ratio (baseline) | "
        + " | ".join(f"{result['baseline'][d][key]:.4f}" for d, key in columns)
        + " |"
    )
    for row, per_dir in result["rows"].items():
        cells = [
            f"{per_dir[d]['mean_' + key]:.4f} ± {per_dir[d]['std_' + key]:.4f}"
            for d, key in columns
            if d in per_dir
        ]
        lines.append(f"| {row} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(
        f"Mean ± standard deviation over seeds {result['seeds']}; F1 on the whole test site, as given "
        "and with its before and after dates exchanged (time-reversed)."
    )
    return "\n".join(lines) + "\n"
