"""One builder per engine per workload, each engine in its own module, imported on demand.

The minitorch builders are re-exported here (``from bench.workloads import chain_relu``) and need
nothing but minitorch; micrograd, PyTorch and autograd are imported only when their engine is
loaded with :func:`load_engine`, so this package works without them.

Each engine module defines ``chain_relu(steps)``, ``chain_sigmoid(steps)``, ``random_dag(plan)`` and
``mlp_step(plan)``, each returning a :class:`~bench.cases.Case`; minitorch and the float floor also
define ``train_epoch``.

The tensor workloads have engines of their own (:data:`TENSOR_ENGINES`, loaded with
:func:`load_tensor_engines`): minitorch's ``Tensor``, NumPy by hand and PyTorch CPU tensors, each
defining ``mlp(plan)``, ``broadcast(plan)`` and ``tiny_chain(plan)``; minitorch's module also defines
``broadcast_simple`` (on ``SimpleBackend``).
"""

from __future__ import annotations

import importlib
from types import ModuleType

from .minitorch_engine import (
    chain_relu,
    chain_relu_no_grad,
    chain_sigmoid,
    mlp_forward_no_grad,
    mlp_step,
    random_dag,
    train_epoch,
)

__all__ = [
    "ENGINES", "REFERENCE", "FLOOR", "TENSOR_ENGINES", "chain_relu", "chain_relu_no_grad",
    "chain_sigmoid", "load_engine", "load_engines", "load_tensor_engines", "mlp_forward_no_grad",
    "mlp_step", "random_dag", "train_epoch",
]

ENGINES = ("minitorch", "micrograd", "torch", "autograd", "floats")
"""Every engine, in the order tables list them."""
REFERENCE = "micrograd"
"""The engine ratios are taken against first."""
FLOOR = "floats"
"""Plain Python floats without autodiff: the cheapest possible pure-Python forward pass."""

TENSOR_ENGINES = ("minitorch", "numpy", "torch")
"""Every engine of the tensor workloads, in the order tables list them."""

_TENSOR_MODULES = {
    "minitorch": "tensor_minitorch",
    "numpy": "tensor_numpy",
    "torch": "tensor_torch",
}

_MODULES = {
    "minitorch": "minitorch_engine",
    "micrograd": "micrograd_engine",
    "torch": "torch_engine",
    "autograd": "autograd_engine",
    "floats": "floats",
}


def load_engine(name: str) -> ModuleType:
    """Import the builders of engine ``name`` (which imports that engine's library).

    Raises:
        KeyError: if ``name`` is not one of :data:`ENGINES`.
        ImportError: if the engine's library is not installed.
    """
    if name not in _MODULES:
        raise KeyError(f"load_engine: unknown engine {name!r}; choose one of {', '.join(ENGINES)}")
    return importlib.import_module(f".{_MODULES[name]}", __name__)


def _load_all(
    names: tuple[str, ...], modules: dict[str, str]
) -> tuple[dict[str, ModuleType], dict[str, str]]:
    loaded: dict[str, ModuleType] = {}
    missing: dict[str, str] = {}
    for name in names:
        if name not in modules:
            raise KeyError(f"unknown engine {name!r}; choose from {', '.join(modules)}")
        try:
            loaded[name] = importlib.import_module(f".{modules[name]}", __name__)
        except ImportError as error:
            missing[name] = f"{type(error).__name__}: {error}"
    return loaded, missing


def load_engines(names: tuple[str, ...]) -> tuple[dict[str, ModuleType], dict[str, str]]:
    """Import every engine that is installed; return them and, for the others, the reason."""
    return _load_all(names, _MODULES)


def load_tensor_engines(names: tuple[str, ...]) -> tuple[dict[str, ModuleType], dict[str, str]]:
    """Import the builders of the tensor engines ``names`` (of :data:`TENSOR_ENGINES`) that are
    installed; return them and, for the others, the reason."""
    return _load_all(names, _TENSOR_MODULES)
