"""Printing the tensor suite's results as tables."""

from __future__ import annotations

from typing import Any

from .report import MODE_TITLES, format_number, format_targets
from .targets import Target

__all__ = ["format_tensor_report"]

_RATIOS = (("minitorch", "x minitorch"), ("numpy", "x numpy"), ("torch", "x torch"))
_CPU_RATIOS = (("numpy", "cpu x numpy"), ("torch", "cpu x torch"))


def _table(workloads: list[dict[str, Any]], mode: str) -> list[str]:
    header = (f"{'workload':44} {'engine':17} {'fwd ms':>9} {'bwd ms':>9} {'total ms':>9} "
              f"{'us/op':>8}" + "".join(f" {label:>11}" for _, label in _RATIOS)
              + f" {'cpu ms':>9}" + "".join(f" {label:>11}" for _, label in _CPU_RATIOS))
    lines = [header, "-" * len(header)]
    for w in workloads:
        first = True
        for engine, row in w[mode].items():
            name = w["title"] if first else ""
            first = False
            scale = w["ops"] * 1e-3  # us per op -> ms per run
            per_op = format_number(row["total_us_per_op"], 8) if w["ops"] > 1 else "-".rjust(8)
            lines.append(
                f"{name:44} {engine:17} {format_number(row['fwd_us_per_op'] * scale, 9, 3)} "
                f"{format_number(row['bwd_us_per_op'] * scale, 9, 3)} "
                f"{format_number(row['total_us_per_op'] * scale, 9, 3)} {per_op}"
                + "".join(f" {format_number(row.get(f'ratio_{key}'), 11)}" for key, _ in _RATIOS)
                + f" {format_number(row['cpu_total_us_per_op'] * scale, 9, 3)}"
                + "".join(f" {format_number(row.get(f'cpu_ratio_{key}'), 11)}"
                          for key, _ in _CPU_RATIOS)
            )
        if not w["agree"]:
            lines.append(f"{'':44} !! engines disagree: {'; '.join(w['disagreements'])}")
    return lines


def format_tensor_report(tensor: dict[str, Any], targets: list[Target]) -> str:
    """The printed tensor report: a table per GC mode, then the tensor targets."""
    meta = tensor["meta"]
    lines = [
        f"minitorch tensor benchmark (float64, median of {meta['repeats']} interleaved repeats "
        f"after a warm-up; BLAS and PyTorch on one thread; NumPy's BLAS: {meta['numpy_blas']})",
        "engines: " + ", ".join(f"{e} {meta['versions'].get(e, '')}".strip() for e in meta["engines"]),
    ]
    for engine, reason in meta["missing_engines"].items():
        lines.append(f"missing engine {engine}: {reason}")
    lines.append("ms per forward / backward pass; us/op for the (2, 2) chain (3 ops per step + the "
                 "sum); ratios: total time of the row's engine / the other's, same repeat (median);")
    lines.append("cpu: the same with the process's CPU time, which leaves out waits for a core on a "
                 "busy machine (the targets use the wall-clock ratios)")
    for mode in ("gc_on", "gc_off"):
        lines += ["", MODE_TITLES[mode], *_table(tensor["workloads"], mode)]
    lines += ["", "TENSOR TARGETS", *format_targets(targets)]
    return "\n".join(lines)
