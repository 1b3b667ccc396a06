"""The scaling picture: the relu chain's time against N, per engine, on log-log axes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["plot_scaling"]

plt: Any = None
try:  # matplotlib is imported before timing starts, so that gc.freeze() covers its objects
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot

    plt = matplotlib.pyplot
except ImportError:  # pragma: no cover - the bench venv has it; a bare venv may not
    pass

_TITLES = {"gc_on": "GC on (the default)", "gc_off": "GC off while timing"}


def plot_scaling(results: dict[str, Any], path: Path) -> Path | None:
    """Draw workload (a)'s time against N for every engine; return the file (None: no matplotlib).

    Top row: forward + backward seconds, with a dashed slope-1 line through minitorch's first
    point: linear growth runs parallel to it. Bottom row: microseconds per operation, where linear
    growth is a flat line.
    """
    if plt is None:
        return None
    scaling = results["scaling"]
    steps = scaling["steps"]
    ops = scaling["ops"]
    fig, axes = plt.subplots(2, 2, figsize=(11, 8), sharex=True, sharey="row")
    for column, mode in enumerate(("gc_on", "gc_off")):
        total_ax, per_op_ax = axes[0][column], axes[1][column]
        for engine, seconds in scaling[mode].items():
            total_ax.plot(steps, seconds, marker="o", label=engine)
            per_op_ax.plot(steps, [1e6 * s / n for s, n in zip(seconds, ops, strict=True)],
                           marker="o", label=engine)
        anchor = scaling[mode].get("minitorch", next(iter(scaling[mode].values())))[0]
        total_ax.plot(steps, [anchor * n / steps[0] for n in steps], "k--", linewidth=0.8,
                      label="linear (slope 1)")
        total_ax.set_title(f"relu chain (a): {_TITLES[mode]}")
        per_op_ax.set_xlabel("N (chain steps; 3 ops each)")
        for ax in (total_ax, per_op_ax):
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.grid(True, which="both", alpha=0.3)
    axes[0][0].set_ylabel("forward + backward time (s)")
    axes[1][0].set_ylabel("microseconds per op (flat = linear)")
    axes[0][1].legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
