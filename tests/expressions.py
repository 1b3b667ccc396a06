"""Random expression graphs for the functional API's property tests.

:func:`expressions` is a hypothesis strategy for :class:`Expr` trees over the variables ``x0``,
``x1``, ``x2``. Every operation is smooth and defined on the whole real line, except ``abs`` (a
kink at 0), so a central difference is a fair reference wherever :meth:`Expr.kink_distance` is not
tiny:

- ``a + b``, ``a - b``, ``a * b``, and ``a / (1 + b*b)`` (a denominator bounded away from zero);
- ``a ** k`` for a constant ``k`` in {2, 3}, and ``(a*a + 1) ** k`` for ``k`` in {-1.5, -0.5, 0.5, 1.5};
- ``-a``, ``tanh a``, ``sin a``, ``cos a``, ``sqrt(a*a + 1)``, ``|a|``, ``exp(tanh a)`` (a bounded exponent),
  ``log(a*a + 1)`` (a positive argument).

An expression evaluates three ways with the same formula: :meth:`Expr.__call__` with plain NumPy
calls (so on floats it is the float reference, and on Scalars it builds a minitorch graph through
``Scalar.__array_ufunc__``), and :meth:`Expr.torch` with PyTorch functions, for the oracle tests.
Its ``repr`` is the formula, so a failing example reads as mathematics.

:func:`pytrees` draws the nested arguments the functional API accepts (lists, tuples and dicts of
floats, ints and float arrays), for the structure tests of ``flatten`` and ``grad``;
:func:`numeric_gradient` and :func:`assert_same_tree` are the checks those tests share.

Example:
    >>> e = Expr("mul", (Expr("var", index=0), Expr("sin", (Expr("var", index=1),))))
    >>> e
    (x0 * sin(x1))
    >>> round(float(e(2.0, 0.5)), 6)
    0.958851
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import strategies as st

from minitorch import flatten

__all__ = [
    "Expr", "expressions", "points", "expressions_with_points", "pytrees", "numeric_gradient",
    "assert_same_tree",
]

UNARY = ("tanh", "sin", "cos", "sqrt1", "abs", "exptanh", "log1sq", "neg")
BINARY = ("add", "sub", "mul", "div")
INTEGER_POWERS = (2, 3)
POSITIVE_BASE_POWERS = (-1.5, -0.5, 0.5, 1.5)


@dataclass(frozen=True)
class Expr:
    """One node of an expression tree: an operation, its operands, and a constant if it has one.

    ``op`` is ``"var"`` (``index`` names the variable), ``"const"`` (``value``), ``"pow"`` (``value``
    is the exponent), or a name from ``UNARY``/``BINARY``.
    """

    op: str
    args: tuple[Expr, ...] = ()
    value: float = 0.0
    index: int = 0

    # ## Evaluation

    def __call__(self, *xs: Any) -> Any:
        """Evaluate with NumPy calls: floats give floats, Scalars give a graph."""
        return self._eval(xs, _NUMPY)

    def torch(self, *xs: Any) -> Any:
        """Evaluate with PyTorch functions on tensors."""
        import torch

        return self._eval(xs, _torch_ops(torch))

    def _eval(self, xs: tuple[Any, ...], ops: dict[str, Any]) -> Any:
        # Recursion over the expression tree, whose depth hypothesis keeps small.
        if self.op == "var":
            return xs[self.index]
        if self.op == "const":
            return self.value
        a = self.args[0]._eval(xs, ops)
        if self.op == "pow":
            if float(self.value).is_integer():
                return a ** int(self.value)
            return (a * a + 1.0) ** self.value
        if self.op in BINARY:
            b = self.args[1]._eval(xs, ops)
            if self.op == "add":
                return a + b
            if self.op == "sub":
                return a - b
            if self.op == "mul":
                return a * b
            return a / (1.0 + b * b)
        # A constant subexpression gives a NumPy scalar (np.tanh(2.0)), which later meets Scalars.
        return ops[self.op](a)

    def kink_distance(self, *xs: float) -> float:
        """The smallest ``|a|`` over the operands of ``abs`` at this point (``inf`` if none)."""
        distances: list[float] = []
        self._kinks(xs, distances)
        return min(distances, default=float("inf"))

    def _kinks(self, xs: tuple[float, ...], distances: list[float]) -> None:
        for arg in self.args:
            arg._kinks(xs, distances)
        if self.op == "abs":
            distances.append(abs(float(self.args[0](*xs))))

    def magnitude(self, *xs: float) -> float:
        """The largest ``|value|`` of any subexpression at this point (to keep examples moderate)."""
        own = abs(float(self(*xs)))
        return max([own, *(a.magnitude(*xs) for a in self.args)])

    def variables(self) -> set[int]:
        """The indices of the variables that occur in the expression."""
        if self.op == "var":
            return {self.index}
        return set().union(*(a.variables() for a in self.args))

    # ## Display

    def __repr__(self) -> str:
        if self.op == "var":
            return f"x{self.index}"
        if self.op == "const":
            return f"({self.value!r})" if self.value < 0 else repr(self.value)
        a = repr(self.args[0])
        if self.op == "pow":
            return f"({a} ** {int(self.value)})" if float(self.value).is_integer() else (
                f"(({a} * {a} + 1) ** {self.value})"
            )
        if self.op in BINARY:
            b = repr(self.args[1])
            symbol = {"add": "+", "sub": "-", "mul": "*"}.get(self.op)
            return f"({a} {symbol} {b})" if symbol else f"({a} / (1 + {b} * {b}))"
        return {
            "sqrt1": f"sqrt({a} * {a} + 1)",
            "exptanh": f"exp(tanh({a}))",
            "log1sq": f"log({a} * {a} + 1)",
            "neg": f"(-{a})",
        }.get(self.op, f"{self.op}({a})")


_NUMPY: dict[str, Any] = {
    "tanh": np.tanh,
    "sin": np.sin,
    "cos": np.cos,
    "sqrt1": lambda a: np.sqrt(a * a + 1.0),
    "abs": np.abs,
    "exptanh": lambda a: np.exp(np.tanh(a)),
    "log1sq": lambda a: np.log(a * a + 1.0),
    "neg": lambda a: -a,
}


def _torch_ops(torch: Any) -> dict[str, Any]:
    def lift(fn: Any) -> Any:
        # A constant subexpression is a float; turn it into a float64 tensor for torch's functions.
        return lambda a: fn(a if isinstance(a, torch.Tensor) else torch.tensor(a, dtype=torch.float64))

    return {
        "tanh": lift(torch.tanh),
        "sin": lift(torch.sin),
        "cos": lift(torch.cos),
        "sqrt1": lift(lambda a: torch.sqrt(a * a + 1.0)),
        "abs": lift(torch.abs),
        "exptanh": lift(lambda a: torch.exp(torch.tanh(a))),
        "log1sq": lift(lambda a: torch.log(a * a + 1.0)),
        "neg": lambda a: -a,
    }


# ## Strategies

constants = st.sampled_from([-2.0, -1.5, -0.5, 0.25, 1.0, 2.0, 3.0])
"""A few readable constants (none is 0, so ``abs`` of a constant never sits on its kink)."""


def _leaves(n_vars: int) -> st.SearchStrategy[Expr]:
    variables = st.integers(0, n_vars - 1).map(lambda i: Expr("var", index=i))
    return st.one_of(variables, variables, constants.map(lambda c: Expr("const", value=c)))


def _extend(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    unary = st.builds(lambda op, a: Expr(op, (a,)), st.sampled_from(UNARY), children)
    binary = st.builds(lambda op, a, b: Expr(op, (a, b)), st.sampled_from(BINARY), children, children)
    power = st.builds(
        lambda k, a: Expr("pow", (a,), value=float(k)),
        st.sampled_from(INTEGER_POWERS + POSITIVE_BASE_POWERS),
        children,
    )
    return st.one_of(unary, binary, power)


def expressions(n_vars: int = 2, max_leaves: int = 6) -> st.SearchStrategy[Expr]:
    """Random expression trees over ``x0 .. x{n_vars-1}`` with at most ``max_leaves`` leaves.

    Every expression uses at least one variable.
    """
    if not 1 <= n_vars <= 3:
        raise ValueError(f"expressions: n_vars must be 1, 2 or 3, got {n_vars}")
    trees = st.recursive(_leaves(n_vars), _extend, max_leaves=max_leaves)
    return trees.filter(lambda e: bool(e.variables()))


def points(n_vars: int) -> st.SearchStrategy[tuple[float, ...]]:
    """Points in ``[-1.5, 1.5] ** n_vars``, where the expressions stay of moderate size."""
    coordinate = st.floats(min_value=-1.5, max_value=1.5, allow_nan=False, allow_infinity=False)
    return st.tuples(*[coordinate] * n_vars)


def expressions_with_points(
    n_vars: int = 2, max_leaves: int = 6
) -> st.SearchStrategy[tuple[Expr, tuple[float, ...]]]:
    """An expression over ``n_vars`` variables and a point to evaluate it at."""
    return st.tuples(expressions(n_vars, max_leaves), points(n_vars))


# ## Nested arguments ("pytrees")

_keys = st.text(alphabet="abcdefghij_", min_size=1, max_size=4)


def _pytree_leaves() -> st.SearchStrategy[Any]:
    from hypothesis.extra import numpy as hnp

    floats = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)
    return st.one_of(
        floats,
        st.integers(min_value=-1000, max_value=1000),
        hnp.arrays(
            np.float64, hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=3), elements=floats
        ),
    )


def pytrees(max_leaves: int = 8) -> st.SearchStrategy[Any]:
    """Nested lists, tuples and dicts (string keys) of floats, ints and float arrays.

    Dicts come in random key order, so a round trip also checks that the order is kept.
    """
    return st.recursive(
        _pytree_leaves(),
        lambda children: st.one_of(
            st.lists(children, max_size=3),
            st.lists(children, max_size=3).map(tuple),
            st.dictionaries(_keys, children, max_size=3),
        ),
        max_leaves=max_leaves,
    )


# ## Checking helpers


def numeric_gradient(fun: Any, x: Any, eps: float = 1e-6) -> Any:
    """Central differences of a scalar ``fun`` with respect to every number of ``x``, shaped like x."""
    vector, unflatten = flatten(x)
    out = np.zeros_like(vector)
    for i in range(vector.size):
        step = np.zeros_like(vector)
        step[i] = eps
        out[i] = (float(fun(unflatten(vector + step))) - float(fun(unflatten(vector - step)))) / (2 * eps)
    return unflatten(out)


def assert_same_tree(expected: Any, got: Any, path: str = "value") -> None:
    """Assert ``got`` has ``expected``'s containers, dict key order, array shapes and values.

    Numbers must come back as Python floats and arrays as float64 arrays.
    """
    if isinstance(expected, dict):
        assert type(got) is dict, f"{path}: expected a dict, got {type(got).__name__}"
        assert list(got) == list(expected), f"{path}: keys {list(got)} != {list(expected)}"
        for key in expected:
            assert_same_tree(expected[key], got[key], f"{path}[{key!r}]")
    elif isinstance(expected, (list, tuple)):
        assert type(got) is type(expected), f"{path}: {type(got).__name__} != {type(expected).__name__}"
        assert len(got) == len(expected), f"{path}: length {len(got)} != {len(expected)}"
        for i, (e, g) in enumerate(zip(expected, got, strict=True)):
            assert_same_tree(e, g, f"{path}[{i}]")
    elif isinstance(expected, np.ndarray):
        assert isinstance(got, np.ndarray), f"{path}: expected an array, got {type(got).__name__}"
        assert got.shape == expected.shape, f"{path}: shape {got.shape} != {expected.shape}"
        assert got.dtype == np.float64, f"{path}: dtype {got.dtype}"
        assert np.array_equal(got, expected), f"{path}: {got!r} != {expected!r}"
    else:
        assert type(got) is float, f"{path}: expected a float, got {type(got).__name__} {got!r}"
        assert got == float(expected), f"{path}: {got!r} != {expected!r}"
