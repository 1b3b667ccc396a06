# ruff: noqa: E501  (a table: one row per bad input reads best on one line)
"""The catalogue of bad inputs (issue 10): every public entry point, one row per bad input.

Each row calls an entry point of ``minitorch.__all__`` or of ``minitorch.testing`` with something it
must refuse, and asserts the exception type and that the message names the function or the argument
at fault. The command line has its own table in ``test_bad_inputs_cli.py``.

``python tests/test_bad_inputs.py`` prints the number of rows per entry point.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

import minitorch
from minitorch import (
    SGD,
    Adam,
    Add,
    Context,
    Graph,
    Module,
    Neg,
    Parameter,
    Scalar,
    ScalarFunction,
    ScalarHistory,
    Tensor,
    TensorData,
    backpropagate,
    central_difference,
    check_grads,
    datasets,
    defvjp,
    derivative_check,
    draw,
    flatten,
    grad,
    grad_named,
    hessian,
    jacobian,
    jvp,
    multigrad_dict,
    operators,
    primitive,
    rand,
    tensor,
    tensor_functions,
    topological_sort,
    value_and_grad,
    vjp,
    zeros,
)
from minitorch.tensor_data import IndexingError
from minitorch.tensor_functions import Function, History, grad_central_difference, grad_check
from minitorch.testing import Expression, Step, check_function, check_function_at, find_wrong_backward
from minitorch.train import TrainConfig

# (The rows pass wrong types on purpose; mypy does not check the tests.)


@dataclass(frozen=True)
class Case:
    """One bad input: ``call()`` must raise ``error`` with a message matching ``names``."""

    entry: str
    what: str
    call: Callable[[], object]
    error: type[BaseException] | tuple[type[BaseException], ...]
    names: str


# ## Fixtures the rows use


class Line(Module):
    def __init__(self) -> None:
        super().__init__()
        self.w = Parameter(Scalar(1.0), name="w")
        self.b = Parameter(Scalar(0.0), name="b")

    def forward(self, x: float) -> Any:
        return self.w.value * x + self.b.value


class Forgetful(Module):
    def __init__(self) -> None:
        self.w = Parameter(Scalar(1.0))


def params() -> list[Parameter]:
    return Line().parameters()


@primitive
def cube(x: float) -> float:
    return x * x * x


@primitive
def no_vjp(x: float) -> float:
    return 2.0 * x


@primitive
def wrong_vjp(x: float) -> float:
    return 2.0 * x


defvjp(cube, lambda ans, x: lambda g: 3.0 * x * x * g)
defvjp(wrong_vjp, lambda ans, x: lambda g: np.array([g, g]))


@primitive
def returns_array(x: float) -> Any:
    return np.array([x, x])


def square(x: Any) -> Any:
    return x * x


def adam_with_state_for(n: int) -> dict[str, Any]:
    optimizer = Adam([Parameter(Scalar(1.0)) for _ in range(n)])
    for p in optimizer.parameters:
        (p.value * 1.0).backward()
    optimizer.step()
    return optimizer.state_dict()


def hand_built_cycle() -> Scalar:
    a = Scalar(1.0)
    b = a * 2.0
    c = b * 3.0
    b.history = ScalarHistory(minitorch.Mul, Context(), (c, 2.0))  # b now depends on c
    return c


class NoneForTwo(ScalarFunction):
    @staticmethod
    def forward(ctx: Context, a: float, b: float) -> float:
        return a + b

    @staticmethod
    def backward(ctx: Context, d_output: float) -> Any:
        return None


def leaf_backward_with_string() -> object:
    x = Scalar(1.0)
    x.backward("x")
    return x.derivative


# ## Fixtures of the tensor rows


def t23() -> Tensor:
    return tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])


def leaf23() -> Tensor:
    return tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)


def td23() -> TensorData:
    return TensorData([0.0] * 6, (2, 3))


def slots(n: int) -> Any:
    return np.zeros(n, dtype=np.int32)


class ReturnsFloat(Function):
    @staticmethod
    def forward(ctx: Context, a: Tensor) -> Any:
        return 1.0


class OneGradForTwo(Function):
    @staticmethod
    def forward(ctx: Context, a: Tensor, b: Tensor) -> Tensor:
        return a.f.add_zip(a, b)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Any:
        return grad_output


class NoneGradForTwo(OneGradForTwo):
    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Any:
        return None


class Identity(Function):
    @staticmethod
    def forward(ctx: Context, a: Tensor) -> Tensor:
        return a.f.id_map(a)


class StringGrad(Identity):
    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Any:
        return "x"


class WrongShapeGrad(Identity):
    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Any:
        return zeros((4,))


class NoForward(Function):
    pass


def backward_through(fn: Any, *inputs: Tensor) -> None:
    fn.apply(*inputs).sum().backward()


def step_with_grad(optimizer: Any, grad: Any) -> None:
    p = Parameter(tensor([1.0, 2.0], requires_grad=True))
    p.value.grad = grad
    optimizer([p]).step()


def broken_backward_sum(a: Tensor) -> Tensor:
    return WrongDerivativeSum.apply(a)


class WrongDerivativeSum(Function):
    @staticmethod
    def forward(ctx: Context, a: Tensor) -> Tensor:
        return a.f.mul_zip(a, a)

    @staticmethod
    def backward(ctx: Context, grad_output: Tensor) -> Tensor:
        return grad_output  # wrong on purpose: the derivative of a * a is 2a


nan, inf = math.nan, math.inf

CASES = [
    # ## Module 0
    Case("operators", "zipWith of unequal lists", lambda: operators.zipWith(operators.add)([1.0], [1.0, 2.0]),
         ValueError, r"zipWith.*lengths"),
    Case("operators", "pow with an integer exponent beyond float", lambda: operators.pow(0.5, 10**400),
         OverflowError, r"pow: the integer"),
    Case("Module", "a misspelt attribute", lambda: Line().wieght, AttributeError, r"wieght"),
    Case("Module", "no super().__init__()", Forgetful, AttributeError, r"Forgetful.*super\(\).__init__"),
    Case("Module", "forward not defined", lambda: Module()(1.0), NotImplementedError, r"Module.*forward"),
    Case("Module", "add_parameter with a non-string name", lambda: Module().add_parameter(3, Scalar(1.0)),
         TypeError, r"Module\.add_parameter: the name"),
    Case("Module", "add_parameter with a string value", lambda: Module().add_parameter("w", "abc"),
         TypeError, r"Parameter\(\).*'abc'"),
    Case("Parameter", "a string", lambda: Parameter("abc"), TypeError, r"Parameter\(\).*str 'abc'"),
    Case("Parameter", "None", lambda: Parameter(None), TypeError, r"Parameter\(\).*None"),
    Case("Parameter", "a list", lambda: Parameter([1.0]), TypeError, r"Parameter\(\).*list"),
    Case("Parameter", "a bool", lambda: Parameter(True), TypeError, r"Parameter\(\).*bool"),
    Case("Parameter", "a complex number", lambda: Parameter(1 + 2j), TypeError, r"Parameter\(\).*complex"),
    Case("Parameter", "a computed Scalar", lambda: Parameter(Scalar(1.0) * 2.0), TypeError,
         r"Parameter\(\).*computed"),
    Case("Parameter", "a constant Scalar", lambda: Parameter(Scalar(1.0, None)), TypeError,
         r"Parameter\(\).*constant"),
    Case("Parameter", "a non-string name", lambda: Parameter(Scalar(1.0), name=3),
         TypeError, r"Parameter\(\).*name"),
    Case("Parameter", "update with a string", lambda: Parameter(Scalar(1.0)).update("x"), TypeError,
         r"Parameter\.update\(\)"),
    Case("Parameter", "self.w * x", lambda: Parameter(Scalar(1.0), "w") * 2.0, TypeError, r"Parameter 'w'.*\.value"),
    Case("Parameter", "x + self.w", lambda: 2.0 + Parameter(Scalar(1.0), "w"), TypeError, r"Parameter 'w'.*\.value"),
    Case("Parameter", "float(self.w)", lambda: float(Parameter(Scalar(1.0), "w")), TypeError, r"\.value"),
    # ## Optimizers
    Case("SGD", "the module itself", lambda: SGD(Line(), lr=0.1), TypeError,
         r"SGD\(parameters\).*model\.parameters\(\)"),
    Case("SGD", "a single Parameter", lambda: SGD(Parameter(Scalar(1.0))), TypeError,
         r"SGD\(parameters\).*iterable"),
    Case("SGD", "a number", lambda: SGD(3), TypeError, r"SGD\(parameters\)"),
    Case("SGD", "a string", lambda: SGD("abc"), TypeError, r"SGD\(parameters\)"),
    Case("SGD", "no parameters", lambda: SGD([]), ValueError, r"SGD\(parameters\).*no parameters"),
    Case("SGD", "a Scalar among them", lambda: SGD([Scalar(1.0)]), TypeError,
         r"SGD\(parameters\): parameter 0 is Scalar"),
    Case("SGD", "a Parameter holding a float", lambda: SGD([Parameter(1.0)]), TypeError,
         r"SGD\(parameters\): parameter 0 .*float"),
    Case("SGD", "lr a string", lambda: SGD(params(), lr="0.1"), TypeError, r"SGD\(lr\).*str"),
    Case("SGD", "lr nan", lambda: SGD(params(), lr=nan), ValueError, r"SGD\(lr\).*nan"),
    Case("SGD", "lr inf", lambda: SGD(params(), lr=inf), ValueError, r"SGD\(lr\).*inf"),
    Case("SGD", "lr negative", lambda: SGD(params(), lr=-1.0), ValueError, r"SGD\(lr\).*-1"),
    Case("SGD", "lr a bool", lambda: SGD(params(), lr=True), TypeError, r"SGD\(lr\).*bool"),
    Case("SGD", "lr None", lambda: SGD(params(), lr=None), TypeError, r"SGD\(lr\)"),
    Case("Adam", "lr a string", lambda: Adam(params(), lr="0.1"), TypeError, r"Adam\(lr\)"),
    Case("Adam", "lr nan", lambda: Adam(params(), lr=nan), ValueError, r"Adam\(lr\)"),
    Case("Adam", "betas (1, 1)", lambda: Adam(params(), betas=(1.0, 1.0)), ValueError, r"Adam\(betas\[0\]\)"),
    Case("Adam", "betas (2.0, 0.9)", lambda: Adam(params(), betas=(2.0, 0.9)), ValueError, r"Adam\(betas\[0\]\)"),
    Case("Adam", "betas (0.9, -0.1)", lambda: Adam(params(), betas=(0.9, -0.1)), ValueError,
         r"Adam\(betas\[1\]\)"),
    Case("Adam", "betas (nan, 0.9)", lambda: Adam(params(), betas=(nan, 0.9)), ValueError, r"Adam\(betas\[0\]\)"),
    Case("Adam", "betas of one number", lambda: Adam(params(), betas=(0.9,)), TypeError,
         r"Adam\(betas\).*pair"),
    Case("Adam", "betas a string", lambda: Adam(params(), betas="ab"), TypeError, r"Adam\(betas\)"),
    Case("Adam", "eps 0", lambda: Adam(params(), eps=0.0), ValueError, r"Adam\(eps\)"),
    Case("Adam", "eps negative", lambda: Adam(params(), eps=-1e-8), ValueError, r"Adam\(eps\)"),
    Case("Adam", "eps inf", lambda: Adam(params(), eps=inf), ValueError, r"Adam\(eps\)"),
    Case("Adam", "eps a string", lambda: Adam(params(), eps="tiny"), TypeError, r"Adam\(eps\)"),
    Case("Adam", "the module itself", lambda: Adam(Line()), TypeError, r"Adam\(parameters\)"),
    Case("Optimizer", "load_state_dict of a string", lambda: SGD(params()).load_state_dict("x"),
         TypeError, r"SGD\.load_state_dict"),
    Case("Optimizer", "load_state_dict of an empty dict", lambda: Adam(params()).load_state_dict({}),
         TypeError, r"Adam\.load_state_dict"),
    Case("Optimizer", "state saved for more parameters",
         lambda: Adam([Parameter(Scalar(1.0))]).load_state_dict(adam_with_state_for(3)),
         ValueError, r"Adam\.load_state_dict.*other parameters"),
    Case("Optimizer", "load_state_dict with a bad lr",
         lambda: SGD(params()).load_state_dict({"hyperparameters": {"lr": nan}, "state": {}}),
         ValueError, r"SGD\(lr\)"),
    Case("Optimizer", "step of the base class", lambda: minitorch.Optimizer(params()).step(),
         NotImplementedError, r"Optimizer.*step"),
    # ## Training data
    Case("datasets", "an unknown name", lambda: datasets["Moons"], KeyError, r"datasets.*'Moons'.*Xor"),
    Case("datasets", "N = 0", lambda: datasets["Xor"](0), ValueError, r"datasets\['Xor'\]: N"),
    Case("datasets", "N negative", lambda: datasets["Simple"](-5), ValueError, r"datasets\['Simple'\]: N"),
    Case("datasets", "N a float", lambda: datasets["Diag"](2.5), TypeError, r"datasets\['Diag'\]: N"),
    Case("datasets", "N a string", lambda: datasets["Split"]("10"), TypeError, r"datasets\['Split'\]: N"),
    Case("datasets", "N a bool", lambda: datasets["Circle"](True), TypeError, r"datasets\['Circle'\]: N"),
    Case("datasets", "Spiral with 1 point", lambda: datasets["Spiral"](1), ValueError,
         r"datasets\['Spiral'\]: N must be at least 2"),
    Case("datasets", "rng an int", lambda: datasets["Xor"](4, rng=7), TypeError, r"datasets\['Xor'\]: rng"),
    Case("Graph", "lengths that disagree", lambda: Graph(2, [(0.0, 0.0)], [1]), ValueError, r"Graph: N=2"),
    Case("TrainConfig", "points 0", lambda: TrainConfig(points=0), ValueError, r"TrainConfig: points"),
    Case("TrainConfig", "Spiral with 1 point", lambda: TrainConfig(dataset="Spiral", points=1), ValueError,
         r"TrainConfig: the Spiral dataset needs at least 2"),
    Case("TrainConfig", "an unknown dataset", lambda: TrainConfig(dataset="Moons"), ValueError,
         r"TrainConfig: unknown dataset 'Moons'"),
    Case("TrainConfig", "lr nan", lambda: TrainConfig(lr=nan), ValueError, r"TrainConfig: lr"),
    Case("TrainConfig", "seed a string", lambda: TrainConfig(seed="1"), ValueError, r"TrainConfig: seed"),
    Case("TrainConfig", "an unknown optimizer", lambda: TrainConfig(optimizer="rmsprop"), ValueError,
         r"TrainConfig: unknown optimizer"),
    # ## Scalars and functions
    Case("Scalar", "a string", lambda: Scalar("abc"), TypeError, r"Scalar\(\).*'abc'"),
    Case("Scalar", "None", lambda: Scalar(None), TypeError, r"Scalar\(\).*None"),
    Case("Scalar", "a complex number", lambda: Scalar(1 + 2j), TypeError, r"Scalar\(\)"),
    Case("Scalar", "** an integer beyond float", lambda: Scalar(0.5) ** 10**400, OverflowError, r"Pow\.apply: argument 1: the integer"),
    Case("Scalar", "an integer beyond float", lambda: Scalar(10**400), OverflowError, r"Scalar\(\)"),
    Case("Scalar", "+ an integer beyond float", lambda: Scalar(1.0) + 10**400, OverflowError, r"Add"),
    Case("Scalar", "+ a string", lambda: Scalar(1.0) + "x", TypeError, r"Add\.apply.*'x'"),
    Case("Scalar", "back a string", lambda: Scalar(1.0, back="x"), TypeError, r"Scalar\(back\)"),
    Case("Scalar", "name a number", lambda: Scalar(1.0, name=3), TypeError, r"Scalar\(name\)"),
    Case("Scalar", "backward() of a constant", lambda: Scalar(1.0, None).backward(), ValueError,
         r"backward\(\).*constant"),
    Case("Scalar", "backward('x')", lambda: (Scalar(1.0) * 2.0).backward("x"), TypeError,
         r"backward.*d_output"),
    Case("Scalar", "leaf.backward('x')", leaf_backward_with_string, TypeError, r"backward.*d_output"),
    Case("Scalar", "accumulate_derivative on a computed value", lambda: (Scalar(1.0) * 2.0).accumulate_derivative(1.0),
         ValueError, r"accumulate_derivative.*not a leaf"),
    Case("Scalar", "accumulate_derivative of a string", lambda: Scalar(1.0).accumulate_derivative("x"),
         TypeError, r"accumulate_derivative"),
    Case("Scalar", "chain_rule on a leaf", lambda: Scalar(1.0).chain_rule(1.0), ValueError, r"chain_rule.*leaf"),
    Case("Scalar", "a backward that returns None for two inputs",
         lambda: NoneForTwo.apply(Scalar(1.0), Scalar(2.0)).backward(), (TypeError, ValueError),
         r"NoneForTwo\.backward returned None"),
    Case("Scalar", "a hand-built history with a cycle", lambda: hand_built_cycle().backward(), ValueError,
         r"cycle"),
    Case("ScalarHistory", "backprop_step of a leaf", lambda: ScalarHistory().backprop_step(1.0), ValueError,
         r"ScalarHistory\.backprop_step.*leaf"),
    Case("ScalarHistory", "ctx a string", lambda: ScalarHistory(ctx="x"), TypeError,  # type: ignore[arg-type]
         r"ScalarHistory\(ctx\) expects a Context or None, got str"),
    Case("ScalarHistory", "last_fn a number", lambda: ScalarHistory(last_fn=3), TypeError,
         r"ScalarHistory.*last_fn"),
    Case("ScalarFunction", "instantiated", lambda: ScalarFunction(), TypeError, r"never instantiated"),
    Case("ScalarFunction", "apply with a string", lambda: Neg.apply("x"), TypeError, r"Neg\.apply.*'x'"),
    Case("ScalarFunction", "apply with too few arguments", lambda: Add.apply(Scalar(1.0)), TypeError,
         r"Add\.apply.*2"),
    Case("ScalarFunction", "apply with too many arguments", lambda: Add.apply(Scalar(1.0), 2.0, 3.0), TypeError,
         r"Add\.apply.*2"),
    # ## The engine
    Case("Context", "needs_grad(-1)", lambda: Context().needs_grad(-1), (IndexError, ValueError),
         r"needs_grad.*-1"),
    Case("Context", "needs_grad('0')", lambda: Context().needs_grad("0"), TypeError, r"Context\.needs_grad\(index\)"),
    Case("Context", "no_grad a string", lambda: Context(no_grad="x"), TypeError, r"Context.*no_grad"),
    Case("backpropagate", "a float", lambda: backpropagate(3.0, 1.0), TypeError, r"backpropagate"),
    Case("backpropagate", "an id but no chain_rule",
         lambda: backpropagate(SimpleNamespace(unique_id=1), 1.0), TypeError, r"backpropagate"),
    Case("backpropagate", "a chain_rule but no id",
         lambda: backpropagate(SimpleNamespace(chain_rule=lambda d: []), 1.0), TypeError, r"backpropagate"),
    Case("topological_sort", "a float", lambda: topological_sort(3.0), TypeError, r"topological_sort"),
    Case("central_difference", "arg out of range", lambda: central_difference(math.sin, 1.0, arg=1),
         IndexError, r"central_difference: arg=1"),
    Case("central_difference", "epsilon 0", lambda: central_difference(math.sin, 1.0, epsilon=0.0),
         ValueError, r"central_difference.*epsilon"),
    Case("central_difference", "arg a float", lambda: central_difference(math.sin, 1.0, arg=0.0),
         TypeError, r"central_difference.*arg"),
    Case("central_difference", "f not callable", lambda: central_difference(3, 1.0), TypeError,
         r"central_difference.*f"),
    Case("derivative_check", "a float instead of a Scalar", lambda: derivative_check(square, 1.0),
         TypeError, r"derivative_check.*argument 0"),
    Case("no_grad", "an argument", lambda: minitorch.no_grad("x"), TypeError, r"no_grad"),
    Case("enable_grad", "an argument", lambda: minitorch.enable_grad(3), TypeError, r"grad"),
    Case("detect_anomaly", "an argument", lambda: minitorch.detect_anomaly(3), TypeError, r"detect_anomaly"),
    Case("draw", "a float", lambda: draw(3.0), TypeError, r"draw: output"),
    Case("draw", "an unknown format", lambda: draw(Scalar(1.0) * 2.0, format="gif"), ValueError, r"draw.*'gif'"),
    Case("draw", "a path with an unknown suffix", lambda: draw(Scalar(1.0) * 2.0, path="graph.txt"), ValueError,
         r"draw.*graph\.txt"),
    # ## The functional API
    Case("grad", "fun not callable", lambda: grad(3.0), TypeError, r"grad: fun"),
    Case("grad", "argnum a string", lambda: grad(square, argnum="0"), TypeError, r"grad: argnum"),
    Case("grad", "argnum a float", lambda: grad(square, argnum=1.5), TypeError, r"grad: argnum"),
    Case("grad", "argnum a bool", lambda: grad(square, argnum=True), TypeError, r"grad: argnum"),
    Case("grad", "argnum negative", lambda: grad(square, argnum=-1), ValueError, r"grad: argnum=-1"),
    Case("grad", "argnum out of range", lambda: grad(square, argnum=2)(1.0), ValueError, r"grad: argnum=2"),
    Case("grad", "a string argument", lambda: grad(square)("abc"), TypeError, r"grad: args\[0\].*'abc'"),
    Case("grad", "None", lambda: grad(square)(None), TypeError, r"grad: args\[0\].*None"),
    Case("grad", "a bool", lambda: grad(square)(True), TypeError, r"grad: args\[0\].*bool"),
    Case("grad", "a nested string", lambda: grad(lambda p: p["w"])({"w": [1.0, "x"]}), TypeError,
         r"grad: args\[0\]\['w'\]\[1\]"),
    Case("grad", "a vector output", lambda: grad(lambda x: np.array([x, x]))(1.0), TypeError, r"grad.*jacobian"),
    Case("grad", "an object array holding None", lambda: grad(lambda x: (x * x).sum())(np.array([1.0, None], dtype=object)),
         TypeError, r"grad: args\[0\]: element 1 of the object array is NoneType"),
    Case("grad", "a string array", lambda: grad(square)(np.array(["a"])), TypeError, r"args\[0\].*dtype"),
    Case("value_and_grad", "fun not callable", lambda: value_and_grad(None), TypeError, r"value_and_grad: fun"),
    Case("value_and_grad", "argnum out of range", lambda: value_and_grad(square, 1)(1.0), ValueError,
         r"value_and_grad: argnum=1"),
    Case("grad_named", "an unknown name", lambda: grad_named(square, "y"), ValueError, r"grad_named.*'y'"),
    Case("grad_named", "a non-string name", lambda: grad_named(square, 0), TypeError, r"grad_named: argname"),
    Case("grad_named", "fun not callable", lambda: grad_named("f", "x"), TypeError, r"grad_named: fun"),
    Case("multigrad_dict", "fun not callable", lambda: multigrad_dict(1), TypeError, r"multigrad_dict: fun"),
    Case("multigrad_dict", "a string argument", lambda: multigrad_dict(square)("x"), TypeError,
         r"multigrad_dict: x"),
    Case("jacobian", "fun not callable", lambda: jacobian([1.0]), TypeError, r"jacobian: fun"),
    Case("jacobian", "argnum a string", lambda: jacobian(square, "x"), TypeError, r"jacobian: argnum"),
    Case("jacobian", "a dict argument", lambda: jacobian(lambda p: p["a"])({"a": 1.0}), TypeError,
         r"jacobian: args\[0\] is dict"),
    Case("jacobian", "argnum out of range", lambda: jacobian(square, argnum=3)(1.0), ValueError,
         r"jacobian: argnum=3"),
    Case("jacobian", "a string output", lambda: jacobian(lambda x: "x")(1.0), TypeError, r"jacobian.*str"),
    Case("jacobian", "a string output of an array function", lambda: jacobian(lambda x: "s")(np.ones(2)), TypeError,
         r"jacobian: fun returned str"),
    Case("jacobian", "a None output of an array function", lambda: jacobian(lambda x: None)(np.ones(2)), TypeError,
         r"jacobian: fun returned NoneType"),
    Case("hessian", "fun not callable", lambda: hessian(2), TypeError, r"hessian: fun"),
    Case("hessian", "argnum negative", lambda: hessian(square, -2), ValueError, r"hessian: argnum=-2"),
    Case("jvp", "fun not callable", lambda: jvp(1, (1.0,), (1.0,)), TypeError, r"jvp: fun"),
    Case("jvp", "lists instead of tuples", lambda: jvp(square, [1.0], [1.0]), TypeError, r"jvp: primals"),
    Case("jvp", "more tangents than primals", lambda: jvp(square, (1.0,), (1.0, 2.0)), TypeError,
         r"jvp: primals and tangents"),
    Case("jvp", "a tangent of the wrong size", lambda: jvp(square, (np.zeros(2),), (np.zeros(3),)), ValueError,
         r"jvp: tangents\[0\] has (3|shape \(3,\))"),
    Case("jvp", "a tangent dict with other keys",
         lambda: jvp(lambda p: p["a"], ({"a": 1.0, "b": 1.0},), ({"a": 1.0, "c": 0.0},)), ValueError,
         r"jvp: tangents\[0\].*keys 'a', 'b'"),
    Case("jvp", "a string primal", lambda: jvp(square, ("x",), (1.0,)), TypeError, r"jvp: primals\[0\]"),
    Case("vjp", "fun not callable", lambda: vjp(3, 1.0), TypeError, r"vjp: fun"),
    Case("vjp", "a cotangent of the wrong length", lambda: vjp(square, 1.0)[1]([1.0, 2.0]), ValueError,
         r"vjp: the cotangent"),
    Case("vjp", "a cotangent dict with other keys",
         lambda: vjp(lambda x: {"a": x, "b": x}, 1.0)[1]({"a": 1.0, "c": 1.0}), ValueError,
         r"vjp: the cotangent.*keys 'a', 'b'"),
    Case("vjp", "a string primal", lambda: vjp(square, "x"), TypeError, r"vjp: primals\[0\]"),
    Case("flatten", "a string", lambda: flatten("abc"), TypeError, r"flatten: value is str"),
    Case("flatten", "None", lambda: flatten(None), TypeError, r"flatten: value is NoneType"),
    Case("flatten", "a nested string", lambda: flatten({"a": [1.0, "x"]}), TypeError, r"flatten: value\['a'\]\[1\]"),
    Case("flatten", "a string array", lambda: flatten(np.array(["a"])), TypeError, r"flatten: value.*dtype"),
    Case("flatten", "Scalars", lambda: flatten([Scalar(1.0)]), TypeError, r"flatten: .*Scalars"),
    Case("flatten", "unflatten of the wrong length", lambda: flatten([1.0, 2.0])[1](np.zeros(3)), ValueError,
         r"unflatten: expected a vector of 2"),
    Case("primitive", "a number", lambda: primitive(3), TypeError, r"primitive: expects"),
    Case("primitive", "a primitive again", lambda: primitive(cube), TypeError, r"primitive: expects"),
    Case("primitive", "a vector output", lambda: returns_array(Scalar(1.0)), TypeError,
         r"primitive returns_array returned ndarray"),
    Case("primitive", "differentiated without a vjp", lambda: grad(no_vjp)(1.0), NotImplementedError,
         r"primitive no_vjp: argument 0.*defvjp"),
    Case("primitive", "a vjp of the wrong size", lambda: grad(wrong_vjp)(1.0), ValueError,
         r"primitive wrong_vjp: the vjp for argument 0"),
    Case("defvjp", "a plain function", lambda: defvjp(square, None), TypeError, r"defvjp: 'square'"),
    Case("defvjp", "a non-callable vjpmaker", lambda: defvjp(cube, 3), TypeError, r"defvjp\(cube\): vjpmaker 0"),
    Case("Primitive", "pickling a local primitive's graph", lambda: _pickle_local_primitive(), Exception,
         r"primitive local cannot be pickled"),
    # ## The testing package
    Case("check_grads", "fun not callable", lambda: check_grads(3), TypeError, r"check_grads: fun"),
    Case("check_grads", "modes a string", lambda: check_grads(square, modes="fwd"), TypeError, r"check_grads: modes"),
    Case("check_grads", "an unknown mode", lambda: check_grads(square, modes=("up",)), ValueError,
         r"check_grads: modes"),
    Case("check_grads", "order 0", lambda: check_grads(square, order=0), ValueError, r"check_grads\(order\)"),
    Case("check_grads", "order a float", lambda: check_grads(square, order=1.5), TypeError, r"check_grads\(order\)"),
    Case("check_grads", "eps 0", lambda: check_grads(square, eps=0.0), ValueError, r"check_grads\(eps\)"),
    Case("check_grads", "atol negative", lambda: check_grads(square, atol=-1.0), ValueError, r"check_grads\(atol\)"),
    Case("check_grads", "seed a string", lambda: check_grads(square, seed="0"), TypeError, r"check_grads\(seed\)"),
    Case("check_grads", "a string argument", lambda: check_grads(square)("x"), TypeError,
         r"check_grads: args\[0\] is str"),
    Case("check_function", "a number", lambda: check_function(3), TypeError, r"check_function.*int 3"),
    Case("check_function_at", "a string point", lambda: check_function_at(Add, "x", 1.0), TypeError,
         r"check_function_at\(Add\): point\[0\]"),
    Case("find_wrong_backward", "a float", lambda: find_wrong_backward(3.0), TypeError, r"find_wrong_backward: output"),
    Case("Expression", "a tuple for a step", lambda: Expression(1, [("neg", (0,))]), TypeError,
         r"Expression: step 0 is tuple"),
    Case("Expression", "an unknown operation", lambda: Expression(1, [Step("nope", (0,))]), ValueError,
         r"Expression: step 0 uses the unknown operation 'nope'"),
    Case("Expression", "an operand not computed yet", lambda: Expression(1, [Step("neg", (3,))]), ValueError,
         r"Expression: step 0 \(neg\)"),
    Case("Expression", "the wrong number of inputs", lambda: Expression(1, [Step("neg", (0,))])(1.0, 2.0),
         TypeError, r"takes 1 input"),
    # ## Module 2: building tensors
    Case("tensor", "a string", lambda: tensor("abc"), TypeError, r"tensor_from_numpy\(data=\.\.\.\).*str"),
    Case("tensor", "None", lambda: tensor(None), TypeError, r"tensor_from_numpy\(data=\.\.\.\).*NoneType"),
    Case("tensor", "ragged lists", lambda: tensor([[1.0, 2.0], [3.0]]), TypeError, r"tensor\(data=\.\.\.\).*equal lengths"),
    Case("tensor", "a string among numbers", lambda: tensor([1.0, "a"]), TypeError, r"tensor\(data=\.\.\.\)"),
    Case("tensor", "an object array", lambda: tensor(np.array([1.0, None], dtype=object)), TypeError,
         r"tensor_from_numpy\(data=\.\.\.\).*object"),
    Case("tensor", "complex numbers", lambda: tensor([1 + 2j]), TypeError, r"tensor\(data=\.\.\.\).*complex"),
    Case("tensor", "an integer beyond float", lambda: tensor([1, 10**400]), OverflowError, r"tensor\(data=\.\.\.\).*too large"),
    Case("tensor", "a dict", lambda: tensor({"a": 1.0}), TypeError, r"tensor_from_numpy\(data=\.\.\.\).*dict"),
    Case("tensor", "Scalars", lambda: tensor([Scalar(1.0)]), TypeError, r"tensor\(data=\.\.\.\)"),
    Case("tensor", "a Tensor", lambda: tensor(t23()), TypeError, r"tensor_from_numpy\(data=\.\.\.\).*detach\(\)"),
    Case("tensor", "a string array", lambda: tensor(np.array(["a", "b"])), TypeError, r"tensor_from_numpy\(data"),
    Case("tensor", "backend a string", lambda: tensor([1.0], backend="numpy"), TypeError, r"tensor\(backend\).*NumpyBackend"),
    Case("tensor", "backend an ops class", lambda: tensor([1.0], backend=minitorch.NumpyOps), TypeError,
         r"tensor\(backend\).*TensorBackend\(NumpyOps\)"),
    Case("tensor", "requires_grad a string", lambda: tensor([1.0], requires_grad="yes"), TypeError, r"tensor\(requires_grad\)"),
    Case("tensor_from_numpy", "a string", lambda: minitorch.tensor_from_numpy("abc"), TypeError, r"tensor_from_numpy\(data"),
    Case("tensor_from_numpy", "a complex array", lambda: minitorch.tensor_from_numpy(np.ones(2, dtype=complex)), TypeError,
         r"tensor_from_numpy\(data.*complex"),
    Case("tensor_from_numpy", "backend a number", lambda: minitorch.tensor_from_numpy(np.ones(2), backend=3), TypeError,
         r"tensor_from_numpy\(backend\)"),
    Case("zeros", "an int shape", lambda: zeros(3), TypeError, r"zeros\(shape\).*\(2, 3\)"),
    Case("zeros", "a negative size", lambda: zeros((2, -1)), IndexingError, r"zeros\(shape\).*negative"),
    Case("zeros", "a float size", lambda: zeros((2.5, 2)), TypeError, r"zeros\(shape\).*float"),
    Case("zeros", "a string", lambda: zeros("ab"), TypeError, r"zeros\(shape\)"),
    Case("zeros", "None", lambda: zeros(None), TypeError, r"zeros\(shape\)"),
    Case("zeros", "a bool size", lambda: zeros((True, 2)), TypeError, r"zeros\(shape\).*bool"),
    Case("zeros", "backend a string", lambda: zeros((2,), backend="x"), TypeError, r"zeros\(backend\)"),
    Case("rand", "an int shape", lambda: rand(3), TypeError, r"rand\(shape\)"),
    Case("rand", "a negative size", lambda: rand((-1,)), IndexingError, r"rand\(shape\).*negative"),
    Case("rand", "requires_grad a string", lambda: rand((2,), requires_grad="no"), TypeError, r"rand\(requires_grad\)"),
    Case("rand", "backend a number", lambda: rand((2,), backend=3), TypeError, r"rand\(backend\)"),
    # ## Tensor
    Case("Tensor", "a list", lambda: Tensor([1.0]), TypeError, r"Tensor\(\) expects a TensorData.*minitorch\.tensor"),
    Case("Tensor", "back a string", lambda: Tensor(td23(), back="x"), TypeError, r"Tensor\(back\)"),
    Case("Tensor", "name a number", lambda: Tensor(td23(), name=3), TypeError, r"Tensor\(name\)"),
    Case("Tensor", "backend a string", lambda: Tensor(td23(), backend="numpy"), TypeError, r"Tensor\(backend\)"),
    Case("Tensor", "+ a string", lambda: t23() + "x", TypeError, r"t \+ b.*str 'x'"),
    Case("Tensor", "+ None", lambda: t23() + None, TypeError, r"t \+ b.*NoneType"),
    Case("Tensor", "+ a bool", lambda: t23() + True, TypeError, r"t \+ b.*bool"),
    Case("Tensor", "+ a list", lambda: t23().__add__([1.0, 2.0]), TypeError, r"t \+ b.*list.*minitorch\.tensor"),
    Case("Tensor", "- a string", lambda: "x" - t23(), TypeError, r"b - t"),
    Case("Tensor", "* an integer beyond float", lambda: t23() * 10**400, OverflowError, r"t \* b.*too large"),
    Case("Tensor", "add of shapes that do not broadcast", lambda: t23() + tensor([1.0, 2.0]), IndexingError,
         r"add: shapes \(2, 3\) and \(2,\) do not broadcast"),
    Case("Tensor", "mul of shapes that do not broadcast", lambda: t23() * rand((3, 2)), IndexingError, r"mul: shapes \(2, 3\) and \(3, 2\)"),
    Case("Tensor", "< of shapes that do not broadcast", lambda: t23() < rand((4,)), IndexingError, r"lt: shapes"),
    Case("Tensor", "== of shapes that do not broadcast", lambda: t23() == rand((4,)), IndexingError, r"eq: shapes"),
    Case("Tensor", "/ of shapes that do not broadcast", lambda: t23() / rand((4,)), IndexingError, r"mul: shapes"),
    Case("Tensor", "matmul with mismatched inner sizes", lambda: t23() @ t23(), IndexingError,
         r"matmul: shapes \(2, 3\) and \(2, 3\) do not match"),
    Case("Tensor", "matmul of 1-D tensors", lambda: tensor([1.0, 2.0]) @ tensor([1.0, 2.0]), IndexingError,
         r"matmul: .*at least two dimensions.*view"),
    Case("Tensor", "matmul of a 0-d tensor", lambda: tensor(2.0) @ t23(), IndexingError, r"matmul: shapes \(\) and \(2, 3\)"),
    Case("Tensor", "matmul with a number", lambda: t23() @ 2.0, IndexingError, r"matmul"),
    Case("Tensor", "matmul with a string", lambda: t23() @ "x", TypeError, r"t @ b"),
    Case("Tensor", "matmul with batch sizes that do not broadcast", lambda: rand((2, 2, 3)) @ rand((3, 3, 4)), IndexingError,
         r"matmul: shapes \(2,\) and \(3,\)"),
    Case("Tensor", "sum with a string dim", lambda: t23().sum("0"), TypeError, r"sum\(dim='0'\)"),
    Case("Tensor", "sum with dim out of range", lambda: t23().sum(5), IndexingError, r"sum\(dim=5\).*\(2, 3\)"),
    Case("Tensor", "sum with a negative dim out of range", lambda: t23().sum(-3), IndexingError, r"sum\(dim=-3\)"),
    Case("Tensor", "sum with a float dim", lambda: t23().sum(1.0), TypeError, r"sum\(dim=1\.0\)"),
    Case("Tensor", "sum with a bool dim", lambda: t23().sum(True), TypeError, r"sum\(dim=True\)"),
    Case("Tensor", "mean with dim out of range", lambda: t23().mean(2), IndexingError, r"mean\(dim=2\)"),
    Case("Tensor", "mean with a string dim", lambda: t23().mean("x"), TypeError, r"mean\(dim='x'\)"),
    Case("Tensor", "all with dim out of range", lambda: t23().all(3), IndexingError, r"all\(dim=3\)"),
    Case("Tensor", "permute with a repeated dim", lambda: t23().permute(0, 0), IndexingError, r"permute\(0, 0\).*\(2, 3\)"),
    Case("Tensor", "permute with a missing dim", lambda: t23().permute(0), IndexingError, r"permute\(0,\).*once"),
    Case("Tensor", "permute with too many dims", lambda: t23().permute(0, 1, 2), IndexingError, r"permute\(0, 1, 2\)"),
    Case("Tensor", "permute with a string", lambda: t23().permute("a", 0), TypeError, r"permute\(order\).*str"),
    Case("Tensor", "permute with a float", lambda: t23().permute(0.5, 1), TypeError, r"permute\(order\).*float"),
    Case("Tensor", "permute with None", lambda: t23().permute(None), TypeError, r"permute\(order\)"),
    Case("Tensor", "view to a different size", lambda: t23().view(4), IndexingError,
         r"view: cannot view a tensor of shape \(2, 3\) \(6 elements\) as shape \(4,\)"),
    Case("Tensor", "view with a float size", lambda: t23().view(2.5, 2), TypeError, r"view\(shape\).*float"),
    Case("Tensor", "view with a string", lambda: t23().view("a"), TypeError, r"view\(shape\)"),
    Case("Tensor", "view with -1", lambda: t23().view(-1, 3), IndexingError, r"view\(shape\).*negative"),
    Case("Tensor", "view of a non-contiguous tensor", lambda: t23().permute(1, 0).view(6), ValueError,
         r"view\(6,\).*not contiguous; call \.contiguous\(\) first"),
    Case("Tensor", "an index out of range", lambda: t23()[5, 0], IndexingError, r"index \(5, 0\) is out of range for shape \(2, 3\)"),
    Case("Tensor", "a negative index", lambda: t23()[-1, 0], IndexingError, r"\(-1, 0\) is negative"),
    Case("Tensor", "too few indices", lambda: t23()[0], IndexingError, r"index \(0,\) has 1 entries.*2 dimensions"),
    Case("Tensor", "too many indices", lambda: t23()[0, 0, 0], IndexingError, r"3 entries"),
    Case("Tensor", "a string index", lambda: t23()["a"], TypeError, r"tensor index: index 'a'"),
    Case("Tensor", "a float in the index", lambda: t23()[0, 1.5], TypeError, r"tensor index.*float 1\.5"),
    Case("Tensor", "None in the index", lambda: t23()[0, None], TypeError, r"tensor index.*NoneType"),
    Case("Tensor", "a bool index", lambda: t23()[True, 0], TypeError, r"tensor index.*bool"),
    Case("Tensor", "a list index", lambda: t23()[[0, 1]], TypeError, r"tensor index.*list.*tuple"),
    Case("Tensor", "set a string", lambda: t23().__setitem__((0, 0), "x"), TypeError, r"t\[\(0, 0\)\] = val.*str"),
    Case("Tensor", "set None", lambda: t23().__setitem__((0, 0), None), TypeError, r"= val.*NoneType"),
    Case("Tensor", "set a tensor", lambda: t23().__setitem__((0, 0), tensor([1.0])), TypeError, r"= val.*\.item\(\)"),
    Case("Tensor", "set out of range", lambda: t23().__setitem__((9, 9), 1.0), IndexingError, r"\(9, 9\).*\(2, 3\)"),
    Case("Tensor", "item of many elements", lambda: t23().item(), ValueError, r"item\(\).*\(2, 3\)"),
    Case("Tensor", "format of many elements", lambda: f"{t23():.2f}", ValueError, r"format spec.*\(2, 3\)"),
    Case("Tensor", "bool of many elements", lambda: bool(t23()), ValueError, r"truth value.*\(2, 3\).*all\(\)"),
    Case("Tensor", "backward() of many elements", lambda: (leaf23() * 2.0).backward(), ValueError,
         r"backward\(\) on a tensor of shape \(2, 3\) needs grad_output"),
    Case("Tensor", "backward with grad_output of another shape", lambda: (leaf23() * 2.0).backward(zeros((3, 2))), ValueError,
         r"grad_output has shape \(3, 2\).*\(2, 3\)"),
    Case("Tensor", "backward with a string", lambda: (leaf23() * 2.0).backward("x"), TypeError, r"backward\(grad_output\).*str"),
    Case("Tensor", "backward with an array", lambda: (leaf23() * 2.0).backward(np.ones((2, 3))), TypeError,
         r"backward\(grad_output\).*ndarray"),
    Case("Tensor", "backward of a constant", lambda: t23().sum().backward(), ValueError, r"backward\(\) on a constant.*requires_grad"),
    Case("Tensor", "requires_grad_ with a string", lambda: t23().requires_grad_("yes"), TypeError, r"requires_grad_\(x\)"),
    Case("Tensor", "is_close with a string", lambda: t23().is_close("x"), TypeError, r"is_close\(y\)"),
    Case("Tensor", "is_close of shapes that do not broadcast", lambda: t23().is_close(rand((4,))), IndexingError, r"is_close: shapes"),
    Case("Tensor", "accumulate_derivative on a computed tensor", lambda: (leaf23() * 2.0).accumulate_derivative(t23()),
         ValueError, r"accumulate_derivative.*leaves"),
    Case("Tensor", "accumulate_derivative of a string", lambda: leaf23().accumulate_derivative("x"), TypeError,
         r"accumulate_derivative\(x\).*str"),
    Case("Tensor", "accumulate_derivative of another shape", lambda: leaf23().accumulate_derivative(zeros((3,))), ValueError,
         r"accumulate_derivative\(x\).*\(3,\).*\(2, 3\)"),
    Case("Tensor", "chain_rule on a leaf", lambda: leaf23().chain_rule(t23()), ValueError, r"chain_rule.*leaf"),
    Case("Tensor", "zeros with a string shape", lambda: t23().zeros("ab"), TypeError, r"zeros\(shape\)"),
    Case("Tensor", "make with too little storage", lambda: Tensor.make([1.0, 2.0], (3,)), IndexingError, r"storage holds 2"),
    # ## TensorData and the index helpers
    Case("TensorData", "a string storage", lambda: TensorData("abc", (3,)), TypeError, r"TensorData\(storage\).*str"),
    Case("TensorData", "None storage", lambda: TensorData(None, (1,)), TypeError, r"TensorData\(storage\).*NoneType"),
    Case("TensorData", "a string among the numbers", lambda: TensorData([1.0, "a"], (2,)), TypeError, r"TensorData\(storage\)"),
    Case("TensorData", "complex storage", lambda: TensorData([1 + 2j], (1,)), TypeError, r"TensorData\(storage\).*complex"),
    Case("TensorData", "storage too small for the shape", lambda: TensorData([1.0, 2.0, 3.0], (2, 2)), IndexingError,
         r"shape \(2, 2\).*storage holds 3"),
    Case("TensorData", "strides of the wrong length", lambda: TensorData([0.0] * 4, (2, 2), (1,)), IndexingError,
         r"strides \(1,\) must have one entry per dimension of shape \(2, 2\)"),
    Case("TensorData", "a negative stride", lambda: TensorData([0.0] * 4, (2, 2), (-1, 1)), IndexingError,
         r"strides \(-1, 1\) must not be negative"),
    Case("TensorData", "a string stride", lambda: TensorData([0.0] * 4, (2, 2), ("a", 1)), TypeError, r"TensorData\(strides\)"),
    Case("TensorData", "a float stride", lambda: TensorData([0.0] * 4, (2, 2), (1.5, 1)), TypeError, r"TensorData\(strides\)"),
    Case("TensorData", "strides a string", lambda: TensorData([0.0] * 4, (2, 2), "ab"), TypeError, r"TensorData\(strides\)"),
    Case("TensorData", "an int shape", lambda: TensorData([0.0] * 4, 4), TypeError, r"TensorData\(shape\)"),
    Case("TensorData", "a float size", lambda: TensorData([0.0] * 4, (2.0, 2)), TypeError, r"TensorData\(shape\).*float"),
    Case("TensorData", "a negative size", lambda: TensorData([0.0] * 4, (-4,)), IndexingError, r"TensorData\(shape\).*negative"),
    Case("TensorData", "more than 32 dimensions", lambda: TensorData([0.0], (1,) * 33), IndexingError, r"more than 32"),
    Case("TensorData", "index with too many entries", lambda: td23().index((0, 0, 0)), IndexingError, r"index \(0, 0, 0\) has 3"),
    Case("TensorData", "index a string", lambda: td23().index("a"), TypeError, r"TensorData\.index.*'a'"),
    Case("TensorData", "index with a float", lambda: td23().index((0, 1.5)), TypeError, r"TensorData\.index.*float"),
    Case("TensorData", "index out of range", lambda: td23().index((2, 0)), IndexingError, r"\(2, 0\) is out of range for shape \(2, 3\)"),
    Case("TensorData", "get with too few entries", lambda: td23().get((0,)), IndexingError, r"2 dimensions"),
    Case("TensorData", "set a string", lambda: td23().set((0, 0), "x"), TypeError, r"TensorData\.set.*str"),
    Case("TensorData", "permute with a repeated dim", lambda: td23().permute(0, 0), IndexingError, r"permute: order \(0, 0\)"),
    Case("TensorData", "permute with a string", lambda: td23().permute("a", 0), TypeError, r"permute\(order\).*str"),
    Case("TensorData", "permute with a float", lambda: td23().permute(1.0, 0), TypeError, r"permute\(order\).*float"),
    Case("TensorData", "shape_broadcast of shapes that do not broadcast", lambda: td23().shape_broadcast((2,), (3,)),
         IndexingError, r"\(2,\) and \(3,\) do not broadcast"),
    Case("index_to_position", "an index shorter than the strides", lambda: minitorch.index_to_position((1,), (3, 1)),
         IndexingError, r"index_to_position: index has fewer entries than strides"),
    Case("to_index", "ordinal past the end", lambda: minitorch.to_index(6, (2, 3), slots(2)), IndexingError,
         r"to_index: ordinal must lie in 0 \.\. size - 1"),
    Case("to_index", "a negative ordinal", lambda: minitorch.to_index(-1, (2, 3), slots(2)), IndexingError, r"to_index: ordinal"),
    Case("to_index", "an empty shape", lambda: minitorch.to_index(0, (0,), slots(1)), IndexingError, r"to_index: ordinal"),
    Case("to_index", "out_index too short", lambda: minitorch.to_index(0, (2, 3), slots(1)), IndexingError, r"to_index: out_index"),
    Case("broadcast_index", "shapes that do not broadcast", lambda: minitorch.broadcast_index((1, 2), (2, 3), (4,), slots(1)),
         IndexingError, r"broadcast_index: shape does not broadcast to big_shape"),
    Case("broadcast_index", "a shape longer than big_shape", lambda: minitorch.broadcast_index((0,), (3,), (2, 3), slots(2)),
         IndexingError, r"broadcast_index: shape has more dimensions"),
    Case("broadcast_index", "out_index too short", lambda: minitorch.broadcast_index((0, 0), (2, 3), (2, 3), slots(1)),
         IndexingError, r"broadcast_index"),
    Case("broadcast_index", "big_index too short", lambda: minitorch.broadcast_index((0,), (2, 3), (3,), slots(1)),
         IndexingError, r"broadcast_index"),
    Case("shape_broadcast", "sizes that differ", lambda: minitorch.shape_broadcast((2, 3), (4, 3)), IndexingError,
         r"shapes \(2, 3\) and \(4, 3\) do not broadcast: sizes 2 and 4"),
    Case("shape_broadcast", "a string shape", lambda: minitorch.shape_broadcast("ab", (1,)), TypeError, r"shape_broadcast\(shape1\)"),
    Case("shape_broadcast", "an int shape", lambda: minitorch.shape_broadcast(3, (1,)), TypeError, r"shape_broadcast\(shape1\)"),
    Case("shape_broadcast", "a float size", lambda: minitorch.shape_broadcast((2.5,), (1,)), TypeError, r"shape_broadcast\(shape1\)"),
    Case("shape_broadcast", "a negative size", lambda: minitorch.shape_broadcast((-2,), (1,)), IndexingError,
         r"shape_broadcast\(shape1\).*negative"),
    Case("shape_broadcast", "None", lambda: minitorch.shape_broadcast((1,), None), TypeError, r"shape_broadcast\(shape2\)"),
    Case("strides_from_shape", "an int", lambda: minitorch.strides_from_shape(3), TypeError, r"strides_from_shape\(shape\)"),
    Case("strides_from_shape", "a string size", lambda: minitorch.strides_from_shape(("a",)), TypeError, r"strides_from_shape\(shape\)"),
    Case("strides_from_shape", "a negative size", lambda: minitorch.strides_from_shape((-1, 2)), IndexingError,
         r"strides_from_shape\(shape\).*negative"),
    Case("strides_from_shape", "a float size", lambda: minitorch.strides_from_shape((2.5,)), TypeError, r"strides_from_shape\(shape\)"),
    Case("prod", "a string among the numbers", lambda: minitorch.prod([1.0, "a"]), TypeError, r"prod: element 1.*str"),
    Case("prod", "a number", lambda: minitorch.prod(3), TypeError, r"prod: ls"),
    Case("prod", "None among the numbers", lambda: minitorch.prod([None]), TypeError, r"prod: element 0"),
    # ## Backends
    Case("TensorBackend", "a string", lambda: minitorch.TensorBackend("numpy"), TypeError, r"TensorBackend\(ops\).*str"),
    Case("TensorBackend", "None", lambda: minitorch.TensorBackend(None), TypeError, r"TensorBackend\(ops\)"),
    Case("TensorBackend", "a backend", lambda: minitorch.TensorBackend(minitorch.SimpleBackend), TypeError,
         r"TensorBackend\(ops\).*already a backend.*TensorBackend\(SimpleOps\)"),
    Case("TensorBackend", "a class without map", lambda: minitorch.TensorBackend(dict), TypeError, r"TensorBackend\(ops\).*no map"),
    Case("TensorBackend", "the base class", lambda: minitorch.TensorBackend(minitorch.TensorOps), NotImplementedError, r"TensorOps\.map"),
    Case("TensorOps", "map of the base class", lambda: minitorch.TensorOps.map(operators.neg), NotImplementedError, r"TensorOps\.map"),
    Case("TensorOps", "matrix_multiply of the base class", lambda: minitorch.TensorOps.matrix_multiply(t23(), t23()),
         NotImplementedError, r"TensorOps\.matrix_multiply"),
    Case("NumpyBackend", "add_zip with a string", lambda: minitorch.NumpyBackend.add_zip(t23(), "x"), TypeError, r"add zip.*str"),
    Case("NumpyBackend", "add_reduce with dim out of range", lambda: minitorch.NumpyBackend.add_reduce(t23(), 5), IndexingError,
         r"add reduce: dim=5.*\(2, 3\)"),
    Case("NumpyBackend", "add_reduce with a string dim", lambda: minitorch.NumpyBackend.add_reduce(t23(), "0"), TypeError,
         r"add reduce: dim"),
    Case("NumpyBackend", "neg_map of a string", lambda: minitorch.NumpyBackend.neg_map("x"), TypeError, r"neg map.*str"),
    Case("NumpyBackend", "matrix_multiply with a string", lambda: minitorch.NumpyBackend.matrix_multiply(t23(), "x"), TypeError,
         r"matrix_multiply\(b\)"),
    Case("NumpyBackend", "a map into a smaller out", lambda: minitorch.NumpyBackend.id_map(rand((3,)), zeros((1,))), IndexingError,
         r"id map.*\(3,\).*out's shape \(1,\)"),
    Case("SimpleBackend", "add_reduce with dim out of range", lambda: minitorch.SimpleBackend.add_reduce(t23(), 5), IndexingError,
         r"add reduce: dim=5"),
    Case("SimpleBackend", "add_zip of shapes that do not broadcast", lambda: minitorch.SimpleBackend.add_zip(t23(), rand((4,))),
         IndexingError, r"add: shapes"),
    Case("SimpleBackend", "a map into a smaller out", lambda: minitorch.SimpleBackend.id_map(rand((3,)), zeros((1,))), IndexingError,
         r"id map.*out's shape \(1,\)"),
    Case("SimpleBackend", "mul_zip of a string", lambda: minitorch.SimpleBackend.mul_zip("x", t23()), TypeError, r"mul zip.*str"),
    Case("SimpleBackend", "matrix_multiply with a string", lambda: minitorch.SimpleBackend.matrix_multiply("x", t23()), TypeError,
         r"matrix_multiply\(a\)"),
    Case("SimpleOps", "map of a string", lambda: minitorch.SimpleOps.map("neg"), TypeError, r"SimpleOps\.map\(fn\)"),
    Case("SimpleOps", "reduce of None", lambda: minitorch.SimpleOps.reduce(None), TypeError, r"SimpleOps\.reduce\(fn\)"),
    Case("SimpleOps", "reduce with a string start", lambda: minitorch.SimpleOps.reduce(operators.add, "0"), TypeError,
         r"SimpleOps\.reduce\(start\)"),
    Case("SimpleOps", "matrix_multiply with mismatched inner sizes", lambda: minitorch.SimpleOps.matrix_multiply(t23(), t23()),
         IndexingError, r"matmul: shapes \(2, 3\) and \(2, 3\)"),
    Case("NumpyOps", "zip of a number", lambda: minitorch.NumpyOps.zip(3), TypeError, r"NumpyOps\.zip\(fn\)"),
    Case("NumpyOps", "reduce with a string start", lambda: minitorch.NumpyOps.reduce(operators.add, start="0"), TypeError,
         r"NumpyOps\.reduce\(start\)"),
    Case("NumpyOps", "matrix_multiply of 1-D tensors", lambda: minitorch.NumpyOps.matrix_multiply(rand((3,)), rand((3,))),
         IndexingError, r"matmul: .*at least two"),
    # ## Tensor functions
    Case("Function", "instantiated", lambda: Function(), TypeError, r"never instantiated.*apply"),
    Case("Function", "apply with a string", lambda: tensor_functions.Neg.apply("x"), TypeError, r"Neg\.apply: argument 0.*str"),
    Case("Function", "apply with a float", lambda: tensor_functions.Mul.apply(t23(), 2.0), TypeError,
         r"Mul\.apply: argument 1.*float.*minitorch\.tensor"),
    Case("Function", "apply with too few arguments", lambda: tensor_functions.Add.apply(t23()), TypeError, r"Add\.apply got 1.*takes 2"),
    Case("Function", "apply with too many arguments", lambda: tensor_functions.Add.apply(t23(), t23(), t23()), TypeError,
         r"Add\.apply got 3.*takes 2"),
    Case("Function", "a forward that returns a float", lambda: ReturnsFloat.apply(t23()), TypeError,
         r"ReturnsFloat\.forward returned float"),
    Case("Function", "a backward that returns one gradient for two inputs", lambda: backward_through(OneGradForTwo, leaf23(), leaf23()),
         ValueError, r"OneGradForTwo\.backward returned 1 derivative\(s\) for 2 input\(s\)"),
    Case("Function", "a backward that returns None", lambda: backward_through(NoneGradForTwo, leaf23(), leaf23()), TypeError,
         r"NoneGradForTwo\.backward returned None"),
    Case("Function", "a backward that returns a string", lambda: backward_through(StringGrad, leaf23()), TypeError,
         r"StringGrad\.backward, gradient 0.*str"),
    Case("Function", "a backward that returns another shape", lambda: backward_through(WrongShapeGrad, leaf23()), IndexingError,
         r"WrongShapeGrad\.backward, gradient 0 has shape \(4,\).*\(2, 3\)"),
    Case("Function", "no backward", lambda: backward_through(Identity, leaf23()), NotImplementedError, r"Identity must define a static backward"),
    Case("Function", "no forward", lambda: NoForward.apply(t23()), NotImplementedError, r"NoForward must define a static forward"),
    Case("tensor_functions", "Permute.apply with a repeated dim", lambda: tensor_functions.Permute.apply(t23(), tensor([0.0, 0.0])),
         IndexingError, r"permute"),
    Case("tensor_functions", "View.apply with fractional sizes", lambda: tensor_functions.View.apply(t23(), tensor([2.5, 2.4])),
         TypeError, r"Permute/View.*whole numbers"),
    Case("tensor_functions", "View.apply to another size", lambda: tensor_functions.View.apply(t23(), tensor([4.0])), IndexingError,
         r"view: cannot view"),
    Case("tensor_functions", "Sum.apply with dim out of range", lambda: tensor_functions.Sum.apply(t23(), tensor([5.0])),
         IndexingError, r"add reduce: dim=5"),
    Case("History", "last_fn a number", lambda: History(last_fn=3), TypeError, r"History\(last_fn\)"),
    Case("History", "last_fn a ScalarFunction", lambda: History(last_fn=minitorch.Add), TypeError, r"History\(last_fn\).*tensor Function"),
    Case("History", "ctx a string", lambda: History(ctx="x"), TypeError, r"History\(ctx\)"),
    Case("History", "inputs a number", lambda: History(inputs=3), TypeError, r"History\(inputs\)"),
    # ## Gradient checks of tensors
    Case("grad_central_difference", "f not callable", lambda: grad_central_difference(3, t23(), ind=(0, 0)), TypeError,
         r"grad_central_difference\(f\)"),
    Case("grad_central_difference", "arg out of range", lambda: grad_central_difference(square, t23(), arg=1, ind=(0, 0)),
         ValueError, r"grad_central_difference\(arg\): arg=1"),
    Case("grad_central_difference", "arg a float", lambda: grad_central_difference(square, t23(), arg=0.0, ind=(0, 0)),
         TypeError, r"grad_central_difference\(arg\)"),
    Case("grad_central_difference", "epsilon 0", lambda: grad_central_difference(square, t23(), epsilon=0.0, ind=(0, 0)),
         ValueError, r"grad_central_difference\(epsilon\)"),
    Case("grad_central_difference", "epsilon a string", lambda: grad_central_difference(square, t23(), epsilon="x", ind=(0, 0)),
         TypeError, r"grad_central_difference\(epsilon\)"),
    Case("grad_central_difference", "a float value", lambda: grad_central_difference(square, 1.0, ind=(0,)), TypeError,
         r"grad_central_difference\(vals\[0\]\)"),
    Case("grad_central_difference", "ind out of range", lambda: grad_central_difference(square, t23(), ind=(5, 0)), IndexingError,
         r"\(5, 0\) is out of range for shape \(2, 3\)"),
    Case("grad_central_difference", "ind a string", lambda: grad_central_difference(square, t23(), ind="a"), TypeError,
         r"grad_central_difference\(ind\)"),
    Case("grad_central_difference", "f returns a string", lambda: grad_central_difference(lambda a: "x", t23(), ind=(0, 0)),
         TypeError, r"grad_central_difference: f returned str"),
    Case("grad_check", "f not callable", lambda: grad_check(3, t23()), TypeError, r"grad_check\(f\)"),
    Case("grad_check", "a float value", lambda: grad_check(square, 1.0), TypeError, r"grad_check\(vals\[0\]\)"),
    Case("grad_check", "no values", lambda: grad_check(square), ValueError, r"grad_check: pass at least one tensor"),
    Case("grad_check", "tolerance negative", lambda: grad_check(square, t23(), tolerance=-1.0), ValueError, r"grad_check\(tolerance\)"),
    Case("grad_check", "tolerance nan", lambda: grad_check(square, t23(), tolerance=nan), ValueError, r"grad_check\(tolerance\)"),
    Case("grad_check", "f returns a float", lambda: grad_check(lambda a: 1.0, t23()), TypeError, r"grad_check: f returned float"),
    Case("grad_check", "a wrong backward (its purpose)", lambda: grad_check(broken_backward_sum, t23()), AssertionError,
         r"grad_check: broken_backward_sum: argument 0 \(shape \(2, 3\)\) at index"),
    # ## Module 4: convolution, pooling and layers
    Case("tile", "a 2-D input", lambda: minitorch.tile(rand((2, 2)), (2, 2)), ValueError, r"tile: input must be batch x channels"),
    Case("tile", "a kernel that does not divide", lambda: minitorch.tile(rand((1, 1, 4, 4)), (3, 3)), ValueError, r"tile: kernel 3x3"),
    Case("tile", "a string kernel", lambda: minitorch.tile(rand((1, 1, 4, 4)), "ab"), ValueError, r"tile: kernel must be two positive ints"),
    Case("avgpool2d", "a 3-D input", lambda: minitorch.avgpool2d(rand((2, 4, 4)), (2, 2)), ValueError, r"avgpool2d: input must be"),
    Case("avgpool2d", "a kernel that does not divide", lambda: minitorch.avgpool2d(rand((1, 1, 4, 4)), (3, 3)), ValueError,
         r"avgpool2d: kernel 3x3"),
    Case("maxpool2d", "a zero kernel", lambda: minitorch.maxpool2d(rand((1, 1, 4, 4)), (0, 2)), ValueError, r"maxpool2d: kernel"),
    Case("maxpool2d", "a string input", lambda: minitorch.maxpool2d("x", (2, 2)), TypeError, r"maxpool2d: input must be a Tensor"),
    Case("max", "dim out of range", lambda: minitorch.max(rand((2, 3)), 5), IndexingError, r"max\(dim=5\)"),
    Case("max", "a string dim", lambda: minitorch.max(rand((2, 3)), "0"), TypeError, r"max\(dim='0'\)"),
    Case("max", "a string input", lambda: minitorch.max("x", 0), TypeError, r"max\(input\)"),
    Case("argmax", "dim out of range", lambda: minitorch.argmax(rand((2, 3)), 5), IndexingError, r"argmax\(dim=5\)"),
    Case("softmax", "dim out of range", lambda: minitorch.softmax(rand((2, 3)), 5), IndexingError, r"softmax\(dim=5\)"),
    Case("softmax", "a string input", lambda: minitorch.softmax("x", 0), TypeError, r"softmax\(input\)"),
    Case("logsoftmax", "dim out of range", lambda: minitorch.logsoftmax(rand((2, 3)), 7), IndexingError, r"logsoftmax\(dim=7\)"),
    Case("dropout", "rate 2", lambda: minitorch.dropout(rand((2, 3)), 2.0), ValueError, r"dropout: rate"),
    Case("dropout", "rate nan", lambda: minitorch.dropout(rand((2, 3)), nan), ValueError, r"dropout: rate"),
    Case("dropout", "rate a string", lambda: minitorch.dropout(rand((2, 3)), "0.5"), ValueError, r"dropout: rate"),
    Case("conv1d", "channels that differ", lambda: minitorch.conv1d(rand((1, 2, 5)), rand((4, 3, 2))), ValueError,
         r"conv1d: input has 2 channels"),
    Case("conv1d", "a 2-D input", lambda: minitorch.conv1d(rand((2, 3)), rand((4, 3, 2))), ValueError, r"conv1d: input must be"),
    Case("conv1d", "a string input", lambda: minitorch.conv1d("x", rand((4, 2, 2))), TypeError, r"conv1d: input must be a Tensor"),
    Case("conv2d", "channels that differ", lambda: minitorch.conv2d(rand((1, 1, 4, 4)), rand((2, 3, 2, 2))), ValueError,
         r"conv2d: input has 1 channels"),
    Case("conv2d", "a 3-D weight", lambda: minitorch.conv2d(rand((1, 1, 4, 4)), rand((2, 1, 2))), ValueError, r"conv2d: weight must be"),
    Case("Conv1dFun", "apply with a string", lambda: minitorch.Conv1dFun.apply("x", rand((1, 2, 5))), TypeError,
         r"Conv1dFun\.apply: argument 0"),
    Case("Conv2dFun", "apply with channels that differ", lambda: minitorch.Conv2dFun.apply(rand((1, 1, 4, 4)), rand((2, 3, 2, 2))),
         ValueError, r"conv2d: input has 1 channels"),
    Case("Linear", "in_size 0", lambda: minitorch.Linear(0, 3), ValueError, r"Linear: in_size"),
    Case("Linear", "in_size a string", lambda: minitorch.Linear("2", 3), ValueError, r"Linear: in_size"),
    Case("Linear", "an input of the wrong width", lambda: minitorch.Linear(2, 3)(rand((4, 5))), IndexingError, r"matmul: shapes \(4, 5\)"),
    Case("Linear", "a string input", lambda: minitorch.Linear(2, 3)("x"), TypeError, r"Linear\.forward\(x\)"),
    Case("Conv1d", "negative out_channels", lambda: minitorch.Conv1d(1, -2, 3), ValueError, r"Conv1d: out_channels"),
    Case("Conv1d", "an input with other channels", lambda: minitorch.Conv1d(3, 2, 2)(rand((1, 2, 5))), ValueError,
         r"conv1d: input has 2 channels"),
    Case("Conv2d", "a zero kernel height", lambda: minitorch.Conv2d(1, 2, (0, 2)), ValueError, r"Conv2d: kh"),
    Case("Conv2d", "an input with other channels", lambda: minitorch.Conv2d(3, 2, (2, 2))(rand((1, 1, 4, 4))), ValueError,
         r"conv2d: input has 1 channels"),
    # ## Tensor parameters
    Case("Parameter", "a computed Tensor", lambda: Parameter(leaf23() * 2.0), TypeError, r"Parameter\(\).*leaf Tensor.*Mul.*detach\(\)"),
    Case("SGD", "a Tensor grad of another shape", lambda: step_with_grad(SGD, zeros((2, 2))), ValueError,
         r"SGD\.step\(\): parameter 0.*shape \(2,\).*\.grad of shape \(2, 2\)"),
    Case("Adam", "a Tensor grad of another shape", lambda: step_with_grad(Adam, zeros((1,))), ValueError,
         r"Adam\.step\(\): parameter 0.*\.grad of shape \(1,\)"),
    Case("Module", "add_parameter with a computed Tensor", lambda: Module().add_parameter("w", leaf23() * 2.0), TypeError,
         r"leaf Tensor"),
    Case("Parameter", "update with a computed Tensor", lambda: Parameter(leaf23()).update(leaf23().sum()), TypeError,
         r"Parameter\.update\(\).*leaf Tensor.*Sum"),
    Case("Tensor", "permute with no order", lambda: t23().permute(), IndexingError, r"permute\(\)"),
    Case("Tensor", "view with no shape", lambda: t23().view(), IndexingError, r"view: cannot view.*as shape \(\)"),
    Case("Tensor", "view with a tuple of the wrong size", lambda: t23().view((3, 3)), IndexingError, r"as shape \(3, 3\)"),
    Case("SGD", "a grad that is an array", lambda: step_with_grad(SGD, np.zeros(2)), ValueError, r"SGD\.step\(\): parameter 0.*ndarray"),
]


def _pickle_local_primitive() -> bytes:
    import pickle

    @primitive
    def local(x: float) -> float:
        return x

    return pickle.dumps(local(Scalar(1.0)))


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, id=f"{c.entry}: {c.what}") for c in CASES],
)
def test_bad_input_raises_a_named_error(case: Case) -> None:
    with pytest.raises(case.error) as info:
        case.call()
    message = str(info.value.args[0]) if isinstance(info.value, KeyError) else str(info.value)
    assert re.search(case.names, message), f"the message {message!r} does not match {case.names!r}"


# Public names that are not entry points taking input: the module of float functions is covered by
# its functions, protocols and exception classes take nothing, and the grad-mode query takes nothing.
# MathTest and MathTestVariable are the course's catalogue of formulas on numbers, like operators.
NOT_ENTRY_POINTS = {"Variable", "AnomalyError", "is_grad_enabled", "MathTest", "MathTestVariable",
                    "IndexingError", "UserIndex", "UserShape", "UserStrides"}  # tensor types take nothing
# The built-in functions are entered through apply, which ScalarFunction's rows cover.
BUILT_INS = {"Add", "Mul", "Inv", "Neg", "Log", "Exp", "Sigmoid", "ReLU", "LT", "EQ", "Pow", "Tanh", "Sin",
             "Cos", "Sqrt", "Abs"}


def test_catalogue_covers_every_public_entry_point() -> None:
    public = set(minitorch.__all__) | set(minitorch.testing.__all__)
    covered = {c.entry for c in CASES}
    records = {"Step", "WrongDerivative"}  # plain records: Expression checks its Steps
    missing = public - covered - NOT_ENTRY_POINTS - BUILT_INS - records
    assert missing == set()


# ## Copies of graphs, and derivatives of the wrong type (silent wrong numbers before the engine fix)


def graph() -> tuple[Scalar, Scalar]:
    x = Scalar(2.0)
    return x, x * x + 3.0 * x


@pytest.mark.parametrize("copy_with", ["deepcopy", "pickle"])
def test_copied_graph_gets_fresh_ids_and_mixes_with_its_original(copy_with: str) -> None:
    import copy
    import pickle

    x, y = graph()
    x2, y2 = copy.deepcopy((x, y)) if copy_with == "deepcopy" else pickle.loads(pickle.dumps((x, y)))
    assert {x2.unique_id, y2.unique_id}.isdisjoint({x.unique_id, y.unique_id})
    (y + y2).backward()
    assert (x.derivative, x2.derivative) == (7.0, 7.0)


@pytest.mark.parametrize("copy_with", ["deepcopy", "pickle"])
def test_copying_a_deep_graph_needs_no_recursion(copy_with: str) -> None:
    import copy
    import pickle

    x = Scalar(1.0)
    y: Any = x
    for _ in range(100_000):
        y = y * 1.0
    try:
        x2, y2 = copy.deepcopy((x, y)) if copy_with == "deepcopy" else pickle.loads(pickle.dumps((x, y)))
    except (TypeError, ValueError, pickle.PicklingError) as refused:  # a clear refusal is allowed
        assert "copy" in str(refused) or "pickle" in str(refused)
        return
    y2.backward()
    assert x2.derivative == 1.0


def test_copying_part_of_a_deep_graph_already_copied_needs_no_recursion() -> None:
    """A second deepcopy of a node that the first one copied on the way lists its graph afresh."""
    import copy

    x = Scalar(1.0)
    y: Any = x
    middle = None
    for i in range(20_000):
        y = y * 1.0
        if i == 15_000:
            middle = y
    copy.deepcopy(y)
    middle_copy = copy.deepcopy(middle)
    middle_copy.backward()
    assert middle_copy.data == 1.0


class Float32Backward(ScalarFunction):
    @staticmethod
    def forward(ctx: Context, a: float) -> float:
        return 2.0 * a

    @staticmethod
    def backward(ctx: Context, d_output: float) -> Any:
        return np.float32(2.0) * np.float32(d_output)


def test_backward_returning_float32_leaves_a_python_float_derivative() -> None:
    x = Scalar(1.0)
    Float32Backward.apply(x).backward()
    assert type(x.derivative) is float


def test_copy_copy_makes_a_new_variable_sharing_the_history() -> None:
    import copy

    x, y = graph()
    y2 = copy.copy(y)
    assert y2.unique_id != y.unique_id and y2.history is y.history
    y2.backward()
    assert x.derivative == 7.0


def counts() -> Counter[str]:
    """The number of rows per entry point."""
    return Counter(c.entry for c in CASES)


if __name__ == "__main__":
    for entry, n in sorted(counts().items()):
        print(f"{entry:40} {n}")
    print(f"{'total':40} {len(CASES)}")
