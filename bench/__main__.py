"""``python -m bench [--quick] [--suite all|scalar|tensor]``: run the benchmarks, print them, save
JSON and a plot."""

from __future__ import annotations

# Before anything imports NumPy or PyTorch: their thread pools read these at import time.
from .env import pin_threads

pin_threads()

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import replace  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from .config import FULL, QUICK  # noqa: E402
from .plot import plot_scaling  # noqa: E402  (imports matplotlib before gc.freeze)
from .report import format_report, write_json  # noqa: E402
from .suite import run_suite  # noqa: E402
from .targets import evaluate_targets, evaluate_tensor_targets  # noqa: E402
from .tensor_report import format_tensor_report  # noqa: E402
from .tensor_suite import run_tensor_suite  # noqa: E402
from .workloads import ENGINES, TENSOR_ENGINES, load_engines, load_tensor_engines  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
SUITES = ("all", "scalar", "tensor")
ALL_ENGINES = ENGINES + tuple(e for e in TENSOR_ENGINES if e not in ENGINES)


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="small sizes and 2 repeats: a smoke run of well under a minute")
    parser.add_argument("--suite", choices=SUITES, default="all",
                        help="the scalar workloads, the tensor workloads, or both (default)")
    parser.add_argument("--repeats", type=int, default=None,
                        help="timed repeats per workload (default: 5 scalar and 15 tensor, "
                             "or 2 with --quick)")
    parser.add_argument("--engines", default=",".join(ALL_ENGINES),
                        help=f"comma-separated subset of {','.join(ALL_ENGINES)} (minitorch is "
                             "always run; numpy is the tensor suite's NumPy by hand)")
    parser.add_argument("--results", type=Path, default=RESULTS,
                        help="directory for latest.json and scaling.png (default: bench/results)")
    args = parser.parse_args(argv)

    config = QUICK if args.quick else FULL
    if args.repeats is not None:
        if args.repeats < 1:
            parser.error("--repeats must be at least 1")
        config = replace(config, repeats=args.repeats,
                         tensor=replace(config.tensor, repeats=args.repeats))
    wanted = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = sorted(set(wanted) - set(ALL_ENGINES))
    if unknown:
        parser.error(f"unknown engine(s) {', '.join(unknown)}; choose from {', '.join(ALL_ENGINES)}")
    scalar = args.suite in ("all", "scalar")
    tensor = args.suite in ("all", "tensor")
    # Every engine is imported before any timing starts (the suites freeze what imports leave).
    engines, missing = load_engines(_selected(ENGINES, wanted)) if scalar else ({}, {})
    tensor_engines, tensor_missing = (
        load_tensor_engines(_selected(TENSOR_ENGINES, wanted)) if tensor else ({}, {})
    )
    for engine, reason in {**missing, **tensor_missing}.items():
        _log(f"engine {engine} not available, skipped ({reason})")

    results: dict[str, Any] = {}
    report = []
    if scalar:
        results = run_suite(config, engines, missing, _log)
        small, large = config.table_steps
        targets = evaluate_targets(results, large=large, small=small)
        results["targets"] = [t.as_dict() for t in targets]
        report.append(format_report(results, targets, table_sizes={small, large}))
    if tensor:
        results["tensor"] = run_tensor_suite(config.tensor, tensor_engines, tensor_missing, _log)
        tensor_targets = evaluate_tensor_targets(results["tensor"])
        results["tensor"]["targets"] = [t.as_dict() for t in tensor_targets]
        report.append(format_tensor_report(results["tensor"], tensor_targets))
    print("\n\n".join(report))
    json_path = write_json(results, args.results / "latest.json")
    png_path = plot_scaling(results, args.results / "scaling.png") if scalar else None
    print(f"\nwrote {json_path}" + (f" and {png_path}" if png_path else " (no plot)"))
    return 0


def _selected(engines: tuple[str, ...], wanted: list[str]) -> tuple[str, ...]:
    """The engines of ``engines`` that were asked for, and minitorch always."""
    return tuple(e for e in engines if e in wanted or e == "minitorch")


if __name__ == "__main__":
    sys.exit(main())
