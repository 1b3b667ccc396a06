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
    topological_sort,
    value_and_grad,
    vjp,
)
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
NOT_ENTRY_POINTS = {"Variable", "AnomalyError", "is_grad_enabled", "MathTest", "MathTestVariable"}
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
