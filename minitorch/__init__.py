"""minitorch: automatic differentiation you can read, in the style of the minitorch course."""

from . import operators
from .autodiff import (
    Context,
    Variable,
    backpropagate,
    central_difference,
    is_grad_enabled,
    no_grad,
    topological_sort,
)
from .datasets import Graph, datasets
from .module import Module, Parameter
from .optim import SGD, Adam, Optimizer
from .scalar import Scalar, ScalarHistory, derivative_check
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
from .testing import MathTest, MathTestVariable

__all__ = [
    # Module 0
    "operators", "Module", "Parameter",
    # Module 1: the engine, Scalars and their functions
    "Context", "Variable", "backpropagate", "central_difference", "topological_sort",
    "no_grad", "is_grad_enabled",
    "Scalar", "ScalarHistory", "derivative_check",
    "ScalarFunction", "Add", "Mul", "Inv", "Neg", "Log", "Exp", "Sigmoid", "ReLU", "LT", "EQ",
    "Pow", "Tanh", "Sin", "Cos", "Sqrt", "Abs",
    # training and testing
    "SGD", "Adam", "Optimizer", "datasets", "Graph", "MathTest", "MathTestVariable",
]
