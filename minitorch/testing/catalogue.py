"""The course's catalogue of test functions: ``MathTest`` on floats, ``MathTestVariable`` on Scalars.

Each catalogue entry exists twice with the same name: once written with :mod:`minitorch.operators`
on floats (``MathTest``) and once with Scalar methods (``MathTestVariable``), so a test can check
that both agree and that the Scalar version's derivative matches central differences. Names ending
in ``2`` take two arguments, names ending in ``red`` take a list; the rest take one argument.
Constants shift each input into the function's domain (``log(x + 100000)``) for ``|x| <= 100``.

Examples:
    >>> one_arg, two_arg, _ = MathTestVariable._comp_testing()
    >>> name, on_floats, on_scalars = one_arg[0]
    >>> name
    'addConstant'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .. import operators

__all__ = ["MathTest", "MathTestVariable"]

Entry = tuple[str, Callable[..., Any]]
Pair = tuple[str, Callable[..., Any], Callable[..., Any]]


class MathTest:
    """The catalogue on floats, written with :mod:`minitorch.operators`."""

    @staticmethod
    def neg(a: Any) -> Any:
        """Negate."""
        return -a

    @staticmethod
    def addConstant(a: Any) -> Any:  # noqa: N802 - the course's name
        """Add the constant 5."""
        return 5 + a

    @staticmethod
    def square(a: Any) -> Any:
        """Square by multiplying."""
        return a * a

    @staticmethod
    def cube(a: Any) -> Any:
        """Cube by multiplying."""
        return a * a * a

    @staticmethod
    def subConstant(a: Any) -> Any:  # noqa: N802
        """Subtract the constant 5."""
        return a - 5

    @staticmethod
    def multConstant(a: Any) -> Any:  # noqa: N802
        """Multiply by the constant 5."""
        return 5 * a

    @staticmethod
    def div(a: Any) -> Any:
        """Divide by the constant 5."""
        return a / 5

    @staticmethod
    def inv(a: Any) -> Any:
        """``1 / (a + 3.5)``."""
        return operators.inv(a + 3.5)

    @staticmethod
    def sig(a: Any) -> Any:
        """Sigmoid."""
        return operators.sigmoid(a)

    @staticmethod
    def log(a: Any) -> Any:
        """``log(a + 100000)``: shifted so the argument stays positive."""
        return operators.log(a + 100000)

    @staticmethod
    def relu(a: Any) -> Any:
        """``relu(a + 5.5)``."""
        return operators.relu(a + 5.5)

    @staticmethod
    def exp(a: Any) -> Any:
        """``exp(a - 200)``: shifted so the result stays small."""
        return operators.exp(a - 200)

    @staticmethod
    def explog(a: Any) -> Any:
        """``log(a + 100000) + exp(a - 200)``."""
        return operators.log(a + 100000) + operators.exp(a - 200)

    @staticmethod
    def add2(a: Any, b: Any) -> Any:
        """``a + b``."""
        return a + b

    @staticmethod
    def mul2(a: Any, b: Any) -> Any:
        """``a * b``."""
        return a * b

    @staticmethod
    def div2(a: Any, b: Any) -> Any:
        """``a / (b + 5.5)``."""
        return a / (b + 5.5)

    @staticmethod
    def gt2(a: Any, b: Any) -> Any:
        """``1.0 if a + 1.2 > b else 0.0``."""
        return operators.lt(b, a + 1.2)

    @staticmethod
    def lt2(a: Any, b: Any) -> Any:
        """``1.0 if a + 1.2 < b else 0.0``."""
        return operators.lt(a + 1.2, b)

    @staticmethod
    def eq2(a: Any, b: Any) -> Any:
        """``1.0 if a == b + 5.5 else 0.0``."""
        return operators.eq(a, b + 5.5)

    @staticmethod
    def sum_red(a: Sequence[Any]) -> Any:
        """Sum a list."""
        return operators.sum(a)

    @staticmethod
    def mean_red(a: Sequence[Any]) -> Any:
        """Mean of a list."""
        return operators.sum(a) / float(len(a))

    @staticmethod
    def mean_full_red(a: Sequence[Any]) -> Any:
        """Mean of a list (for tensors: over every dimension)."""
        return operators.sum(a) / float(len(a))

    @staticmethod
    def complex(a: Any) -> Any:
        """A composition: ``log(sigmoid(relu(relu(10 a + 7) * 6 + 5) * 10)) / 50``."""
        inner = operators.relu(operators.relu(a * 10 + 7) * 6 + 5)
        return operators.log(operators.sigmoid(inner * 10)) / 50

    @classmethod
    def _tests(cls) -> tuple[list[Entry], list[Entry], list[Entry]]:
        """The catalogue split into one-argument, two-argument and reduction entries."""
        one_arg: list[Entry] = []
        two_arg: list[Entry] = []
        red_arg: list[Entry] = []
        for name in dir(MathTest):
            if name.startswith("_") or not callable(getattr(MathTest, name)):
                continue
            entry = (name, getattr(cls, name))
            if name.endswith("2"):
                two_arg.append(entry)
            elif name.endswith("red"):
                red_arg.append(entry)
            else:
                one_arg.append(entry)
        return one_arg, two_arg, red_arg

    @classmethod
    def _comp_testing(cls) -> tuple[list[Pair], list[Pair], list[Pair]]:
        """``(name, float version, this class's version)`` for every entry of each group."""
        base = MathTest._tests()
        mine = cls._tests()
        return tuple(  # type: ignore[return-value]  # always three groups
            [(name, f_base, f_mine) for (name, f_base), (_, f_mine) in zip(group, ours, strict=True)]
            for group, ours in zip(base, mine, strict=True)
        )


class MathTestVariable(MathTest):
    """The same catalogue written with Scalar methods, so each entry builds a graph."""

    @staticmethod
    def inv(a: Any) -> Any:
        """``1 / (a + 3.5)``."""
        return 1.0 / (a + 3.5)

    @staticmethod
    def sig(a: Any) -> Any:
        """Sigmoid."""
        return a.sigmoid()

    @staticmethod
    def log(a: Any) -> Any:
        """``log(a + 100000)``."""
        return (a + 100000).log()

    @staticmethod
    def relu(a: Any) -> Any:
        """``relu(a + 5.5)``."""
        return (a + 5.5).relu()

    @staticmethod
    def exp(a: Any) -> Any:
        """``exp(a - 200)``."""
        return (a - 200).exp()

    @staticmethod
    def explog(a: Any) -> Any:
        """``log(a + 100000) + exp(a - 200)``."""
        return (a + 100000).log() + (a - 200).exp()

    @staticmethod
    def sum_red(a: Any) -> Any:
        """Sum along dimension 0 (tensors)."""
        return a.sum(0)

    @staticmethod
    def mean_red(a: Any) -> Any:
        """Mean along dimension 0 (tensors)."""
        return a.mean(0)

    @staticmethod
    def mean_full_red(a: Any) -> Any:
        """Mean over everything (tensors)."""
        return a.mean()

    @staticmethod
    def eq2(a: Any, b: Any) -> Any:
        """``a == b + 5.5`` as a graph node."""
        return a == (b + 5.5)

    @staticmethod
    def gt2(a: Any, b: Any) -> Any:
        """``a + 1.2 > b`` as a graph node."""
        return a + 1.2 > b

    @staticmethod
    def lt2(a: Any, b: Any) -> Any:
        """``a + 1.2 < b`` as a graph node."""
        return a + 1.2 < b

    @staticmethod
    def complex(a: Any) -> Any:
        """``log(sigmoid(relu(relu(10 a + 7) * 6 + 5) * 10)) / 50`` with Scalar methods."""
        return (((a * 10 + 7).relu() * 6 + 5).relu() * 10).sigmoid().log() / 50
