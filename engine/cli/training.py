"""Commands of the training jobs: train, pseudolabel, model-info.

Training options are the fields of ``train.run.Options``: each argument's destination is the
field it fills, so the options are read in one step (``from_arguments``) for any architecture.
"""

from __future__ import annotations

import argparse
import json

from ..archs import ARCHS
from ..sar.channels import MODES, UNITS
from ..train.cue import CUE_CHOICES
from .common import ProgressBar, from_arguments, int_list

# --no-… switches and the augmentation each turns off (every architecture knows these names)
AUGMENTATION_FLAGS = {
    "no_augment": "all",
    "no_flips": "flips",
    "no_swap": "swap",
    "no_jitter": "jitter",
    "no_shear": "shear",
    "no_coherence_scaling": "coherence_scaling",
}


def _window(text: str) -> tuple[int, int]:
    from ..sar.coherence import parse_window

    return parse_window(text)


def training_options(args: argparse.Namespace):
    from .. import archs
    from ..train.run import Options

    off = {name for flag, name in AUGMENTATION_FLAGS.items() if getattr(args, flag, False)}
    return from_arguments(Options, args, augment=archs.get(args.arch).augmentation(off))


def pseudo_argument(p) -> None:
    p.add_argument(
        "--pseudo",
        action="store_true",
        help="pseudo-label the unlabelled part of the pairs with a first model and train on it too",
    )


def _cmd_train(args: argparse.Namespace) -> int:
    from ..train.run import train

    with ProgressBar(not args.quiet) as bar:
        result = train(
            args.arch,
            args.data,
            args.out,
            training_options(args),
            resume=args.resume,
            cache=args.cache,
            progress=bar,
            log=bar.log,
        )
    _print_training(result)
    return 0


def _print_training(result: dict) -> None:
    test = result["metrics"].get("test", {})
    print(
        f"best epoch {result['best_epoch']}: validation F1 {result['metrics']['validation']['f1']:.4f}, "
        f"test F1 {test.get('f1', float('nan')):.4f} -> {result['checkpoint']} (curves: {result['history']})"
    )


def training_arguments(p, arch: bool = True) -> None:
    if arch:
        p.add_argument("--arch", required=True, choices=ARCHS, help="architecture")
    p.add_argument("--data", required=True, nargs="+", help="scene folders (one per site)")
    p.add_argument("--out", required=True, help="checkpoint to write (.pt); .csv and .png curves beside it")
    p.add_argument("--epochs", type=int, help="default: the paper's (INSINet 200, SAR U-Net 100)")
    p.add_argument("--batch", type=int, help="default: the paper's (INSINet 8, SAR U-Net 64)")
    p.add_argument("--lr", type=float, help="learning rate (default: the paper's, 1e-3)")
    p.add_argument(
        "--schedule",
        choices=("constant", "step", "cosine"),
        help="learning rate over the epochs (default: INSINet constant, SAR U-Net x0.1 at 90 %%)",
    )
    p.add_argument("--device", default="auto")
    p.add_argument("--tile", type=int, help="chip size in pixels (default: the --init model's, else 256)")
    p.add_argument(
        "--split",
        choices=["auto", "site", "blocks"],
        default="auto",
        help="by site (3+ folders: 6:2:2) or by spatially disjoint blocks of the labelled pixels (auto)",
    )
    p.add_argument(
        "--init",
        default="auto",
        help="start from: auto (the bundled model that suits the data; default), none, a bundled "
        "model's name or a checkpoint",
    )
    p.add_argument(
        "--minutes", type=float, help="time budget: stop after M minutes with the best model so far"
    )
    p.add_argument("--overlap", action="store_true", help="also cut chips shifted by half a tile")
    p.add_argument(
        "--calibrate",
        action="store_true",
        help="store the decision threshold with the best validation F1 in the model (default 0.5)",
    )
    p.add_argument(
        "--classic-cue",
        choices=CUE_CHOICES,
        default="auto",
        help="after training, weigh a classic detector's change score beside the network on the "
        "validation pixels and blend it into the model (auto: cva for optical, logratio for SAR; "
        "none: never)",
    )
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--patience",
        type=int,
        default=20,
        help="early stop after N epochs without progress (not before the LR drop)",
    )
    p.add_argument("--steps-per-epoch", type=int, help="cap the batches per epoch (quick runs)")
    p.add_argument("--no-augment", action="store_true", help="no augmentation at all")
    p.add_argument("--no-flips", action="store_true", help="no flips (optical: nor rotations)")
    p.add_argument("--no-swap", action="store_true", help="no before/after swap")
    p.add_argument("--name", help="model name stored in the checkpoint")
    p.add_argument("--description", default="", help="free text stored in the checkpoint")
    p.add_argument("--quiet", action="store_true")
    optical = p.add_argument_group("optical (insinet)")
    optical.add_argument(
        "--bands", type=int_list, help="bands to train on (default: the --init model's, else the first three)"
    )
    optical.add_argument("--variant", default="insinet", help="INSINet ablation variant (default insinet)")
    optical.add_argument("--no-jitter", action="store_true", help="no colour/brightness jitter")
    optical.add_argument(
        "--standardise",
        choices=("none", "scene"),
        help="scene: standardise each date by its own band statistics first (default none)",
    )
    optical.add_argument(
        "--change-weight",
        type=float,
        help="weight of the change class in the loss (default: the --init model's, else 1)",
    )
    optical.add_argument(
        "--dice",
        type=float,
        help="weight of a soft-Dice term on the change class (default: the --init model's, else 0)",
    )
    sar = p.add_argument_group("SAR (sarunet)")
    sar.add_argument(
        "--sar-mode",
        choices=MODES,
        help="input situation (default: from the data; folders may hold coherence.tif)",
    )
    sar.add_argument(
        "--no-coherence", dest="coherence", action="store_false", default=None, help="amplitudes only"
    )
    sar.add_argument(
        "--window", type=_window, default="5x5", help="coherence/multilook window AZxRG (SLC input)"
    )
    sar.add_argument(
        "--sar-units",
        dest="units",
        choices=UNITS,
        default="amplitude",
        help="units of real SAR rasters (default linear amplitude)",
    )
    sar.add_argument("--remove-ramp", action="store_true", help="remove a linear phase ramp before coherence")
    sar.add_argument("--no-shear", action="store_true")
    sar.add_argument("--no-coherence-scaling", action="store_true")
    balance = p.add_mutually_exclusive_group()
    balance.add_argument(
        "--balance",
        dest="balanced",
        action="store_true",
        default=None,
        help="drop change-free chips until about half the chips hold change (SAR U-Net's default)",
    )
    balance.add_argument(
        "--no-balance",
        dest="balanced",
        action="store_false",
        default=None,
        help="keep change-free training chips (INSINet's default)",
    )


def _add_train(sub) -> None:
    p = sub.add_parser("train", help="train a model on folders of before.tif, after.tif, labels.(tif|gpkg)")
    training_arguments(p)
    pseudo_argument(p)
    p.add_argument("--resume", action="store_true", help="continue from the .state.pt beside --out")
    p.add_argument("--cache", help="keep the chip cache in this folder (default: temporary)")
    p.set_defaults(func=_cmd_train)


def _cmd_pseudolabel(args: argparse.Namespace) -> int:
    from ..train.pseudo import pseudolabel

    with ProgressBar(not args.quiet) as bar:
        result = pseudolabel(
            args.data,
            args.unlabelled,
            args.out,
            training_options(args),
            q=args.fraction,
            c=args.confidence,
            progress=bar,
            log=bar.log,
            arch=args.arch,
            teacher=args.teacher,
        )
    info = result["pseudo_labelling"]
    print(f"kept {info['kept']} of {info['candidates']} unlabelled patches as pseudo-labels")
    _print_training(result)
    return 0


def _add_pseudolabel(sub) -> None:
    p = sub.add_parser(
        "pseudolabel", help="train, pseudo-label unlabelled pairs, retrain (SAR paper, Alg. 1)"
    )
    training_arguments(p, arch=False)
    p.add_argument(
        "--unlabelled", required=True, nargs="+", help="folders with before.tif, after.tif (no labels)"
    )
    p.add_argument("--confidence", type=float, default=0.85, help="c: pixel confidence (default 0.85)")
    p.add_argument(
        "--teacher",
        help="a model already trained on the --data folders with the same options: used as the teacher "
        "instead of training one",
    )
    p.add_argument(
        "--fraction", type=float, default=0.9, help="q: confident fraction of a patch (default 0.9)"
    )
    p.set_defaults(func=_cmd_pseudolabel, arch="sarunet")


def _cmd_model_info(args: argparse.Namespace) -> int:
    from .. import archs
    from ..models.complexity import count

    model, inputs = archs.get(args.arch).example(args.bands, args.tile, args.variant)
    info = {
        "arch": args.arch,
        "variant": args.variant or getattr(model, "variant", None),
        "bands": args.bands,
        "tile": args.tile,
        **count(model, *inputs),
    }
    print(json.dumps(info, indent=2))
    return 0


def _add_model_info(sub) -> None:
    p = sub.add_parser("model-info", help="parameters and MACs of an architecture (JSON)")
    p.add_argument("--arch", required=True, choices=ARCHS)
    p.add_argument("--bands", type=int, default=3, help="input bands (SAR U-Net: input channels)")
    p.add_argument("--tile", type=int, default=256)
    p.add_argument("--variant", help="INSINet ablation variant: siamese, tf, mdsa, quad, insinet")
    p.set_defaults(func=_cmd_model_info)


def register(sub) -> None:
    _add_train(sub)
    _add_pseudolabel(sub)
    _add_model_info(sub)
