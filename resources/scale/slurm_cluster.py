"""Start MineCD's Dask workers as SLURM (or PBS) batch jobs and print the scheduler's address.

    python slurm_cluster.py --jobs 4        # settings from jobqueue.yaml beside this file
    minecd batch jobs.csv --out results --scheduler tcp://HOST:8786    # in a second shell

Run it on a login node that sees the same shared filesystem as the compute nodes, in a venv with
the same versions as the workers: pip install 'minecd[slurm]==0.3.0'. Ctrl-C cancels the jobs.
"""

import argparse
import pathlib
import signal
import time

import dask.config
import yaml
from dask_jobqueue import PBSCluster, SLURMCluster

signal.signal(signal.SIGINT, signal.default_int_handler)  # dask_jobqueue turns Ctrl-C into sys.exit

parser = argparse.ArgumentParser(description="Dask workers for MineCD as SLURM/PBS jobs")
parser.add_argument("--jobs", type=int, default=2, help="batch jobs to submit (default 2)")
parser.add_argument("--config", default=pathlib.Path(__file__).with_name("jobqueue.yaml"), help="settings")
parser.add_argument("--pbs", action="store_true", help="submit to PBS instead of SLURM")
parser.add_argument("--dry-run", action="store_true", help="print the job script, submit nothing")
args = parser.parse_args()

with open(args.config, encoding="utf-8") as f:  # overrides ~/.config/dask/jobqueue.yaml
    dask.config.update(dask.config.config, yaml.safe_load(f), priority="new")

with (PBSCluster if args.pbs else SLURMCluster)() as cluster:  # the scheduler runs here
    if args.dry_run:
        print(cluster.job_script())
        raise SystemExit(0)
    cluster.scale(jobs=args.jobs)  # submits the jobs; workers join when the queue starts them
    print(f"scheduler: {cluster.scheduler_address}   dashboard: {cluster.dashboard_link}")
    print(f"  minecd batch jobs.csv --out results --scheduler {cluster.scheduler_address}", flush=True)
    try:
        while True:
            time.sleep(60)
    except KeyboardInterrupt:
        print("stopping: cancelling the worker jobs")
