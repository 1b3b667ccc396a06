"""``python -m bench [--quick]``: run the benchmark suite, print it, save JSON and a plot."""

from __future__ import annotations

# Before anything imports NumPy or PyTorch: their thread pools read these at import time.
from .env import pin_threads

pin_threads()

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from .config import FULL, QUICK  # noqa: E402
from .plot import plot_scaling  # noqa: E402  (imports matplotlib before gc.freeze)
from .report import format_report, write_json  # noqa: E402
from .suite import run_suite  # noqa: E402
from .targets import evaluate_targets  # noqa: E402
from .workloads import ENGINES, load_engines  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="small sizes and 2 repeats: a smoke run of well under a minute")
    parser.add_argument("--repeats", type=int, default=None,
                        help="timed repeats per workload (default: 5, or 2 with --quick)")
    parser.add_argument("--engines", default=",".join(ENGINES),
                        help=f"comma-separated subset of {','.join(ENGINES)} (minitorch is always run)")
    parser.add_argument("--results", type=Path, default=RESULTS,
                        help="directory for latest.json and scaling.png (default: bench/results)")
    args = parser.parse_args(argv)

    config = QUICK if args.quick else FULL
    if args.repeats is not None:
        if args.repeats < 1:
            parser.error("--repeats must be at least 1")
        config = type(config)(**{**config.__dict__, "repeats": args.repeats})
    wanted = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = sorted(set(wanted) - set(ENGINES))
    if unknown:
        parser.error(f"unknown engine(s) {', '.join(unknown)}; choose from {', '.join(ENGINES)}")
    names = tuple(e for e in ENGINES if e in wanted or e == "minitorch")
    engines, missing = load_engines(names)
    for engine, reason in missing.items():
        _log(f"engine {engine} not available, skipped ({reason})")

    results = run_suite(config, engines, missing, _log)
    small, large = config.table_steps
    targets = evaluate_targets(results, large=large, small=small)
    results["targets"] = [t.as_dict() for t in targets]
    print(format_report(results, targets, table_sizes={small, large}))
    json_path = write_json(results, args.results / "latest.json")
    png_path = plot_scaling(results, args.results / "scaling.png")
    print(f"\nwrote {json_path}" + (f" and {png_path}" if png_path else " (no matplotlib: no plot)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
