"""Process settings that must be made before NumPy or PyTorch is imported."""

from __future__ import annotations

import os

__all__ = ["THREAD_VARIABLES", "pin_threads"]

THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


def pin_threads() -> None:
    """Ask OpenMP, MKL and OpenBLAS for one thread: scalar work gains nothing from more, and
    idle worker threads spinning on a 2-core machine would slow every engine down unevenly."""
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"
