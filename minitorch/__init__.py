"""minitorch: automatic differentiation you can read, in the style of the minitorch course.

The numba backends are optional extras and load on first use: ``minitorch.FastOps`` and
``minitorch.FastBackend`` import :mod:`minitorch.fast_ops` (``pip install "minitorch[fast]"``);
``minitorch.CudaOps``, ``minitorch.CudaBackend``, ``minitorch.sum_practice`` and
``minitorch.mm_practice`` import :mod:`minitorch.cuda_ops` (``pip install "minitorch[cuda]"``). So
``import minitorch`` neither needs numba nor pays for importing it; without numba those names raise
an ImportError that names the extra.
"""

import importlib
import os as _os
from typing import TYPE_CHECKING, Any

from . import operators, tensor_functions
from .anomaly import AnomalyError, detect_anomaly
from .autodiff import (
    Context,
    Variable,
    backpropagate,
    central_difference,
    enable_grad,
    is_grad_enabled,
    no_grad,
    topological_sort,
)
from .datasets import Graph, datasets
from .draw import draw
from .fast_conv import Conv1dFun, Conv2dFun, conv1d, conv2d
from .functional import grad, grad_named, hessian, jacobian, jvp, multigrad_dict, value_and_grad, vjp
from .layers import Conv1d, Conv2d, Linear
from .module import Module, Parameter
from .nn import argmax, avgpool2d, dropout, logsoftmax, max, maxpool2d, softmax, tile
from .numpy_ops import NumpyBackend, NumpyOps
from .operators import prod
from .optim import SGD, Adam, Optimizer
from .primitive import Primitive, defvjp, primitive
from .pytree import flatten
from .scalar import Scalar, ScalarHistory
from .scalar_functions import (
    EQ,
    LT,
    Abs,
    Add,
    Cos,
    Exp,
    Inv,
    Log,
    Mul,
    Neg,
    Pow,
    ReLU,
    ScalarFunction,
    Sigmoid,
    Sin,
    Sqrt,
    Tanh,
)
from .tensor import Tensor, rand, tensor, tensor_from_numpy, zeros
from .tensor_data import (
    IndexingError,
    TensorData,
    UserIndex,
    UserShape,
    UserStrides,
    broadcast_index,
    index_to_position,
    shape_broadcast,
    strides_from_shape,
    to_index,
)
from .tensor_functions import Function, History, grad_central_difference, grad_check
from .tensor_ops import SimpleBackend, SimpleOps, TensorBackend, TensorOps
from .testing import MathTest, MathTestVariable, check_grads
from .testing.diagnose import derivative_check

# The speed layer turns itself on when imported (unless MINITORCH_FAST=0); see fast/__init__.py. The
# student copy leaves its folder out, and then the reference engine runs. (The folder is looked for
# next to this file: an editable install of the full project could otherwise supply it.)
if _os.path.isdir(_os.path.join(_os.path.dirname(__file__), "fast")):
    from . import fast  # noqa: F401 - imported for its effect: it installs the speed layer

if TYPE_CHECKING:
    # For type checkers only: at run time __getattr__ below loads these on first use.
    from .cuda_ops import CudaBackend, CudaOps, mm_practice, sum_practice  # noqa: F401
    from .fast_ops import FastBackend, FastOps  # noqa: F401

# The names of the optional numba backends and the module that defines each (see the docstring).
_OPTIONAL_BACKENDS = {
    "FastOps": "fast_ops",
    "FastBackend": "fast_ops",
    "CudaOps": "cuda_ops",
    "CudaBackend": "cuda_ops",
    "sum_practice": "cuda_ops",
    "mm_practice": "cuda_ops",
}


def __getattr__(name: str) -> Any:
    """Load the optional backends on first use (PEP 562); other unknown names are AttributeErrors.

    Both modules load together, as the course's package imports both: code written for the course
    that then calls ``numba.cuda.is_available()`` (its tests do) finds ``numba.cuda`` imported.
    """
    module = _OPTIONAL_BACKENDS.get(name)
    if module is None:
        raise AttributeError(f"module 'minitorch' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    for other in set(_OPTIONAL_BACKENDS.values()) - {module}:
        importlib.import_module(f".{other}", __name__)
    return value


__all__ = [
    # Module 0
    "operators", "Module", "Parameter",
    # Module 1: the engine, Scalars and their functions
    "Context", "Variable", "backpropagate", "central_difference", "topological_sort",
    "no_grad", "enable_grad", "is_grad_enabled", "detect_anomaly", "AnomalyError", "draw",
    "Scalar", "ScalarHistory", "derivative_check",
    "ScalarFunction", "Add", "Mul", "Inv", "Neg", "Log", "Exp", "Sigmoid", "ReLU", "LT", "EQ",
    "Pow", "Tanh", "Sin", "Cos", "Sqrt", "Abs",
    # the functional API
    "grad", "value_and_grad", "grad_named", "multigrad_dict", "jacobian", "hessian", "jvp", "vjp",
    "flatten", "primitive", "defvjp", "Primitive", "check_grads",
    # training and testing
    "SGD", "Adam", "Optimizer", "datasets", "Graph", "MathTest", "MathTestVariable",
    # Module 2: tensors (the tensor functions themselves are in minitorch.tensor_functions, since
    # Add, Mul, ... here are the Scalar functions)
    "Tensor", "History", "Function", "tensor", "tensor_from_numpy", "zeros", "rand",
    "TensorData", "IndexingError", "UserIndex", "UserShape", "UserStrides", "index_to_position",
    "to_index", "strides_from_shape", "shape_broadcast", "broadcast_index", "prod",
    "TensorOps", "TensorBackend", "SimpleOps", "SimpleBackend", "NumpyOps", "NumpyBackend",
    "grad_central_difference", "grad_check", "tensor_functions",
    # Module 4: networks
    "conv1d", "conv2d", "Conv1dFun", "Conv2dFun", "tile", "avgpool2d", "max", "argmax", "softmax",
    "logsoftmax", "maxpool2d", "dropout", "Linear", "Conv1d", "Conv2d",
]
