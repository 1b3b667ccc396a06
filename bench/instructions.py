"""Count the interpreter's instructions per minitorch operation with Valgrind: a noise-free measure.

Wall-clock time on a shared machine moves by 10-20% between runs; the number of machine
instructions the interpreter executes does not, so it is the measure to compare two versions of
the engine by. This script runs a workload under ``valgrind --tool=cachegrind`` several times with
different repeat counts and takes differences, so that start-up and imports cancel out::

    .venv-bench/bin/python -m bench.instructions              # from the repository's root
    .venv-bench/bin/python -m bench.instructions --work chain
    .venv-bench/bin/python -m bench.instructions --work tensor-mlp --work tensor-chain

The tensor workloads count the Python around each operation of the default (NumPy) backend, at
sizes where the arithmetic costs next to nothing: a step (forward and backward) of the tensor
MLP at 8-8-4 on a batch of 4, and an operation of the (2, 2) chain.

It needs ``valgrind`` on the PATH (``apt-get install valgrind``); ``make bench`` does not run it.
BLAS threads are pinned to one: an idle OpenBLAS thread spins and would add instructions.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import shutil
import subprocess
import sys

__all__ = ["count", "per_op", "per_tensor_unit", "main"]

_CHAIN_STEPS = 10_000

# The child process: build the graph ``reps`` times, optionally backpropagate, keep every graph.
_CHILD = """
import gc, sys
gc.disable()
work, reps, loop = sys.argv[1], int(sys.argv[2]), sys.argv[3]
from minitorch import Scalar, fast
if loop.endswith("reference"):
    fast.disable()
from bench.plans import make_mlp_plan
from bench.workloads import minitorch_engine as engine
plan = make_mlp_plan()
model = engine.mlp_step(plan).setup()[0]
kept = []
for _ in range(reps):
    if work == "chain":
        y = Scalar(0.5)
        for _ in range(STEPS):
            y = (y * 1.0001 + 0.5).relu()
    else:
        y = engine._mlp_loss(model, plan)
    if not loop.startswith("none"):
        y.backward()
    kept.append(y)
""".replace("STEPS", str(_CHAIN_STEPS))


_TENSOR_STEPS = 200

# The tensor child: ``reps`` forward and backward passes of a tensor workload on the default backend.
_TENSOR_CHILD = """
import gc, sys
gc.disable()
work, reps = sys.argv[1], int(sys.argv[2])
from bench.tensor_plans import make_mlp_tensor_plan, make_tiny_chain_plan
from bench.workloads import tensor_minitorch as tm
if work == "tensor-mlp":
    case = tm.mlp(make_mlp_tensor_plan(sizes=(8, 8, 4), batch=4))
else:
    case = tm.tiny_chain(make_tiny_chain_plan(STEPS))
kept = []
for _ in range(reps):
    kept.append(case.backward(case.forward(case.setup())))
""".replace("STEPS", str(_TENSOR_STEPS))

TENSOR_WORKS = ("tensor-mlp", "tensor-chain")


@functools.cache
def count(work: str, reps: int, loop: str) -> int:
    """Instructions of one child process (``loop``: ``none``, ``fast`` or ``reference``)."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", PYTHONHASHSEED="0")
    command = [
        "valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
        sys.executable, "-c", _TENSOR_CHILD if work in TENSOR_WORKS else _CHILD, work, str(reps),
        loop,
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise RuntimeError(f"bench.instructions: valgrind printed no instruction count:\n{done.stderr}")
    return int(found.group(1).replace(",", ""))


def per_op(work: str, loop: str) -> tuple[float, float]:
    """Instructions per operation of the forward pass and of ``loop``'s backward pass."""
    from .plans import chain_ops, make_mlp_plan

    ops = chain_ops(_CHAIN_STEPS) if work == "chain" else make_mlp_plan().ops
    forward_only = "none" if loop == "fast" else "none-reference"
    one, three = count(work, 1, forward_only), count(work, 3, forward_only)
    one_back, three_back = count(work, 1, loop), count(work, 3, loop)
    forward = (three - one) / (2 * ops)
    backward = (three_back - one_back - (three - one)) / (2 * ops)
    return forward, backward


def per_tensor_unit(work: str) -> float:
    """Instructions per forward-and-backward step (``tensor-mlp``) or per operation
    (``tensor-chain``), from the difference of 7 and 2 repeats."""
    from .tensor_plans import make_tiny_chain_plan

    units = 1 if work == "tensor-mlp" else make_tiny_chain_plan(_TENSOR_STEPS).ops
    return (count(work, 7, "tensor") - count(work, 2, "tensor")) / (5 * units)


def main(argv: list[str] | None = None) -> int:
    """Print forward and backward instructions per operation for each workload and loop."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.instructions", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--work", choices=["chain", "mlp", *TENSOR_WORKS], action="append",
                        help="default: chain and mlp (the scalar engine)")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("bench.instructions: valgrind is not on the PATH (apt-get install valgrind)", file=sys.stderr)
        return 2
    for work in args.work or ["chain", "mlp"]:
        if work in TENSOR_WORKS:
            unit = "step (forward and backward)" if work == "tensor-mlp" else "op (forward and backward)"
            print(f"{work:12s} {per_tensor_unit(work):12,.0f}  instructions/{unit}")
            continue
        for loop in ("fast", "reference"):
            forward, backward = per_op(work, loop)
            print(f"{work:6s} forward {forward:8,.0f}   {loop:8s} backward {backward:8,.0f}  instructions/op")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
