"""Printing a suite's results as tables and writing them to JSON."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from .targets import Target

__all__ = ["MODE_TITLES", "format_number", "format_report", "format_targets", "write_json"]

MODE_TITLES = {
    "gc_on": "GC ON (the default a user has)",
    "gc_off": "GC OFF during the timed region",
}
_RATIOS = (("micrograd", "x micrograd"), ("floats", "x floor"), ("torch", "x torch"))


def _title(w: dict[str, Any]) -> str:
    group, size = w["group"], w["size"]
    if group in ("a", "b"):
        return f"({group}) {w['title']} N={size:,}"
    if group == "c":
        return f"(c) {w['title']}, {size:,} nodes"
    if group == "d":
        return f"(d) {w['title']}, {size} points"
    return f"({group}) {w['title']}"


def format_number(x: float | None, width: int, digits: int = 2) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-".rjust(width)
    if abs(x) >= 1000:
        return f"{x:{width},.0f}"
    return f"{x:{width}.{digits}f}"


def _table(workloads: list[dict[str, Any]], mode: str, sizes: set[int] | None) -> list[str]:
    header = (f"{'workload':44} {'ops':>9} {'engine':18} {'fwd us/op':>10} {'bwd us/op':>10} "
              f"{'total us/op':>12}" + "".join(f" {label:>12}" for _, label in _RATIOS))
    lines = [header, "-" * len(header)]
    for w in workloads:
        if sizes is not None and w["group"] == "a" and w["size"] not in sizes:
            continue
        first = True
        for engine, row in w[mode].items():
            name = _title(w) if first else ""
            ops = f"{w['ops']:,}" if first else ""
            first = False
            lines.append(
                f"{name:44} {ops:>9} {engine:18} {format_number(row['fwd_us_per_op'], 10, 3)} "
                f"{format_number(row['bwd_us_per_op'], 10, 3)} "
                f"{format_number(row['total_us_per_op'], 12, 3)}"
                + "".join(f" {format_number(row.get(f'ratio_{key}'), 12)}" for key, _ in _RATIOS)
            )
        if not w["agree"]:
            lines.append(f"{'':44} !! engines disagree: {'; '.join(w['disagreements'])}")
    return lines


def format_report(results: dict[str, Any], targets: list[Target], table_sizes: set[int]) -> str:
    """The printed report: the tables for both GC modes, the other measures, the targets."""
    meta = results["meta"]
    lines = [
        f"minitorch benchmark ({meta['config']} run, median of {meta['repeats']} interleaved "
        f"repeats after a warm-up; {meta['cpu_count']} CPUs; Python {meta['python'].split()[0]})",
        "engines: " + ", ".join(f"{e} {meta['versions'].get(e, '')}".strip() for e in meta["engines"]),
    ]
    for engine, reason in meta["missing_engines"].items():
        lines.append(f"missing engine {engine}: {reason}")
    lines.append("ratios: total time of the row's engine / the other engine's, in the same repeat "
                 "(median); floor = plain floats, forward only")
    for mode in ("gc_on", "gc_off"):
        lines += ["", MODE_TITLES[mode], *_table(results["workloads"], mode, table_sizes)]

    inference = results["inference"]
    lines += ["", "INFERENCE: minitorch under no_grad() vs the floor (forward only)"]
    if isinstance(inference, dict):
        lines.append(f"  skipped: {inference['skipped']}")
    else:
        for mode in ("gc_on", "gc_off"):
            for w in inference:
                row = w[mode]["minitorch_no_grad"]
                floor = w[mode].get("floats", {})
                lines.append(
                    f"  {mode:7} {_title(w):44} no_grad {row['total_us_per_op']:.3f} us/op, "
                    f"floor {format_number(floor.get('total_us_per_op'), 0, 3)} us/op, "
                    f"x floor {format_number(row.get('ratio_floats'), 0)}"
                )

    objects = results["gc_objects_per_op"]
    memory = results["memory"]
    lines += ["", f"GRAPH SIZE on (a) N={objects['steps']:,} (per op; floats keep no graph)"]
    lines.append(f"  {'engine':12} {'GC objects':>11} {'tracemalloc B':>14} "
                 f"{'RSS B (N=' + format(memory['rss_steps'], ',') + ')':>20}")
    for engine, tm in memory["tracemalloc_bytes_per_op"].items():
        lines.append(
            f"  {engine:12} {format_number(objects.get(engine), 11)} {format_number(tm, 14, 1)} "
            f"{format_number(memory['rss_bytes_per_op'].get(engine), 20, 1)}"
        )
    lines.append("  (PyTorch's C++ graph is invisible to gc and tracemalloc; RSS growth is rough.)")

    chain = results["chain_1m"]
    lines += ["", f"LONG CHAIN: minitorch, {chain['ops']:,} ops, forward + backward"]
    for mode in ("gc_on", "gc_off"):
        c = chain[mode]
        lines.append(f"  {mode:7} {c['seconds']:.2f} s (forward {c['forward_seconds']:.2f} s, "
                     f"backward {c['backward_seconds']:.2f} s; the floor, same rounds: "
                     f"{format_number(c.get('floor_seconds'), 0, 4)} s)")

    scaling = results["scaling"]
    ratios = scaling["per_op_ratio_large_to_small"]
    paired = scaling["minitorch_paired"]
    lines += ["", f"SCALING of (a): per-op time at N={ratios['large']:,} / at N={ratios['small']:,}"
              " (1.0 = linear); plot: scaling.png",
              f"  {'minitorch':12} gc on {paired['gc_on']['ratio']:.2f}   gc off "
              f"{paired['gc_off']['ratio']:.2f}   (both sizes in the same rounds: the target's figure)",
              "  from the table's medians (taken minutes apart, so machine drift shows up here):"]
    for engine, by_mode in ratios.items():
        if isinstance(by_mode, dict):
            lines.append(f"  {engine:12} gc on {by_mode['gc_on']:.2f}   gc off {by_mode['gc_off']:.2f}")

    lines += ["", "TARGETS", *format_targets(targets)]
    return "\n".join(lines)


def format_targets(targets: list[Target]) -> list[str]:
    """One line per target with its status, value and limit, then how many passed."""
    lines = []
    for t in targets:
        value = "n/a" if t.status == "SKIP" else f"{t.value:.3g}"
        sign = "<" if t.strict else "<="
        lines.append(f"  [{t.status}] {t.name}: {value} {t.unit} ({sign} {t.limit:.3g})")
    passed = sum(t.status == "PASS" for t in targets)
    lines.append(f"  {passed}/{len(targets)} passed")
    return lines


def _clean(x: Any) -> Any:
    """Replace NaN and infinities (not valid JSON) with None, recursively."""
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    return x


def write_json(results: dict[str, Any], path: Path) -> Path:
    """Write ``results`` as JSON (NaN becomes null) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_clean(results), indent=1) + "\n")
    return path
