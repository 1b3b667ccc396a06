"""Random computation graphs as straight-line programs that run on floats and on Scalars alike.

An :class:`Expression` is a list of :class:`Step` s over the inputs ``x0 .. x{arity-1}``. Step ``k``
computes the value ``v{arity+k}`` from earlier values, so a value can be used by several later
steps: the program describes a graph (a DAG with shared nodes), not just a tree. The last value is
the output. Calling the expression runs the steps in a loop (no recursion), with the same formula
whatever the inputs are: floats give a float (through :mod:`minitorch.operators`), Scalars give a
Scalar with its graph (through the Scalar methods), so the float version is a reference for the
Scalar version and central differences of either check backpropagation.

Every operation is smooth on the whole real line, so a central difference is a fair reference at
any point: ``a + b``, ``a - b``, ``a * b``, ``a / (1 + b^2)``, ``-a``, ``c * a``, ``a + c`` (a small
constant ``c``), ``sin``, ``cos``, ``tanh``, ``sigmoid``, ``exp(tanh a)``, ``log(1 + a^2)``,
``sqrt(1 + a^2)``. The strategies in ``minitorch.testing.strategies`` draw them.

Examples:
    >>> from minitorch import Scalar
    >>> e = Expression(2, [Step("sin", (0,)), Step("mul", (2, 1)), Step("add", (3, 2))])
    >>> e
    Expression(x0, x1 -> v2 = sin(x0); v3 = v2 * x1; v4 = v3 + v2)
    >>> e.formula()
    '(sin(x0) * x1) + sin(x0)'
    >>> x, y = Scalar(0.5), Scalar(2.0)
    >>> out = e(x, y)
    >>> out.backward()
    >>> round(out.data, 12) == round(e(0.5, 2.0), 12)
    True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from .. import operators
from ..scalar import Scalar

__all__ = ["Expression", "Step", "OPERATIONS", "UNARY", "BINARY", "WITH_CONSTANT"]


def _call(x: Any, name: str) -> Any:
    """``x.name()`` on a Scalar, ``operators.name(x)`` on a float: one formula for both."""
    return getattr(x, name)() if isinstance(x, Scalar) else getattr(operators, name)(x)


class Operation(NamedTuple):
    """How to compute one step (``evaluate(*operands, constant)``) and how to write it."""

    arity: int
    evaluate: Callable[..., Any]
    template: str  # operands as {0}, {1}; the constant as {c}


OPERATIONS: dict[str, Operation] = {
    "add": Operation(2, lambda a, b, c: a + b, "{0} + {1}"),
    "sub": Operation(2, lambda a, b, c: a - b, "{0} - {1}"),
    "mul": Operation(2, lambda a, b, c: a * b, "{0} * {1}"),
    "div": Operation(2, lambda a, b, c: a / (1.0 + b * b), "{0} / (1 + {1}^2)"),
    "neg": Operation(1, lambda a, c: -a, "-{0}"),
    "scale": Operation(1, lambda a, c: c * a, "{c} * {0}"),
    "shift": Operation(1, lambda a, c: a + c, "{0} + {c}"),
    "sin": Operation(1, lambda a, c: _call(a, "sin"), "sin({0})"),
    "cos": Operation(1, lambda a, c: _call(a, "cos"), "cos({0})"),
    "tanh": Operation(1, lambda a, c: _call(a, "tanh"), "tanh({0})"),
    "sigmoid": Operation(1, lambda a, c: _call(a, "sigmoid"), "sigmoid({0})"),
    "exp_tanh": Operation(1, lambda a, c: _call(_call(a, "tanh"), "exp"), "exp(tanh({0}))"),
    "log1p_sq": Operation(1, lambda a, c: _call(1.0 + a * a, "log"), "log(1 + {0}^2)"),
    "sqrt1p_sq": Operation(1, lambda a, c: _call(1.0 + a * a, "sqrt"), "sqrt(1 + {0}^2)"),
}
"""Every operation a step can use, by name."""

WITH_CONSTANT = ("scale", "shift")
"""The operations that use the step's constant."""
UNARY = tuple(name for name, op in OPERATIONS.items() if op.arity == 1)
BINARY = tuple(name for name, op in OPERATIONS.items() if op.arity == 2)


class Step(NamedTuple):
    """One step: an operation name from ``OPERATIONS``, the indices of its operands among the
    values computed so far (inputs first), and a constant (used by ``scale`` and ``shift``)."""

    op: str
    operands: tuple[int, ...]
    constant: float = 0.0


class Expression:
    """A straight-line program over ``arity`` inputs; call it on floats or on Scalars.

    Args:
        arity: the number of inputs.
        steps: at least one step; step ``k`` may use any value with an index below ``arity + k``.

    Raises:
        TypeError: for a step that is not a :class:`Step`.
        ValueError: for an unknown operation, a wrong number of operands, or an operand that
            refers to a value not computed yet.
    """

    def __init__(self, arity: int, steps: Sequence[Step]) -> None:
        if arity < 1 or not steps:
            raise ValueError(
                f"Expression needs at least one input and one step, got {arity} and {len(steps)}"
            )
        for k, step in enumerate(steps):
            if not isinstance(step, Step):
                raise TypeError(
                    f"Expression: step {k} is {type(step).__name__} {step!r}; make each step a "
                    "Step(op, operands, constant)"
                )
            op = OPERATIONS.get(step.op)
            if op is None:
                raise ValueError(f"Expression: step {k} uses the unknown operation {step.op!r}")
            if len(step.operands) != op.arity or not all(0 <= i < arity + k for i in step.operands):
                raise ValueError(
                    f"Expression: step {k} ({step.op}) needs {op.arity} operand(s) among the values "
                    f"0..{arity + k - 1} computed before it, got {step.operands}"
                )
        self.arity = arity
        self.steps = tuple(steps)

    def __call__(self, *inputs: Any) -> Any:
        """Run the program on ``inputs`` (floats or Scalars) and return the last value."""
        if len(inputs) != self.arity:
            raise TypeError(f"{self!r} takes {self.arity} input(s), got {len(inputs)}")
        values = list(inputs)
        for step in self.steps:
            operation = OPERATIONS[step.op]
            values.append(operation.evaluate(*(values[i] for i in step.operands), step.constant))
        return values[-1]

    def _names(self) -> list[str]:
        return [f"x{i}" for i in range(self.arity)] + [f"v{self.arity + k}" for k in range(len(self.steps))]

    def _text(self, step: Step, operands: Sequence[str]) -> str:
        return OPERATIONS[step.op].template.format(*operands, c=step.constant)

    def __repr__(self) -> str:
        names = self._names()
        lines = [
            f"{names[self.arity + k]} = {self._text(step, [names[i] for i in step.operands])}"
            for k, step in enumerate(self.steps)
        ]
        return f"Expression({', '.join(names[: self.arity])} -> {'; '.join(lines)})"

    def formula(self) -> str:
        """The output as one formula, with every shared value written out where it is used."""
        texts = self._names()[: self.arity]
        atomic = [True] * self.arity  # needs no parentheses as an operand
        for step in self.steps:
            operands = [
                texts[i] if atomic[i] or step.op in _PLAIN_CALLS else f"({texts[i]})" for i in step.operands
            ]
            texts.append(self._text(step, operands))
            atomic.append(step.op in _PLAIN_CALLS or step.op in ("log1p_sq", "sqrt1p_sq"))
        return texts[-1]


# Operations written f(operand): their operand never needs parentheses of its own.
_PLAIN_CALLS = frozenset({"sin", "cos", "tanh", "sigmoid", "exp_tanh"})
