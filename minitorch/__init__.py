"""minitorch: automatic differentiation you can read, in the style of the minitorch course."""

from . import operators
from .datasets import Graph, datasets
from .module import Module, Parameter
from .optim import SGD, Adam, Optimizer
from .testing import MathTest, MathTestVariable
from .autodiff import Context, Variable, backpropagate, central_difference, topological_sort
from .scalar import Scalar, ScalarHistory, derivative_check
from .scalar_functions import (
    EQ, LT, Abs, Add, Cos, Exp, Inv, Log, Mul, Neg, Pow, ReLU, ScalarFunction, Sigmoid, Sin, Sqrt,
    Tanh,
)

__all__ = [
    "operators", "Context", "Variable", "backpropagate", "central_difference", "topological_sort",
    "Scalar", "ScalarHistory", "derivative_check", "ScalarFunction", "Add", "Mul", "Inv", "Neg",
    "Log", "Exp", "Sigmoid", "ReLU", "LT", "EQ", "Pow", "Tanh", "Sin", "Cos", "Sqrt", "Abs", "Module", "Parameter", "SGD", "Adam", "Optimizer",
    "datasets", "Graph", "MathTest", "MathTestVariable",
]
