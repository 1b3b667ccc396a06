"""Reference helpers that let a task's tests stand alone.

A student solves the tasks in order, so the tests of one task must not call code a *later* task
writes: with that task still a stub, they would fail for a reason the student cannot fix yet. The
tests of task 0.1, for instance, compare ``log_back`` with a numerical derivative, which task 1.1's
``central_difference`` computes; they use the one below instead. Nothing here imports a task's
function from ``minitorch``.
"""

from collections.abc import Callable

__all__ = ["numerical_derivative"]


def numerical_derivative(f: Callable[[float], float], x: float, epsilon: float = 1e-6) -> float:
    """``(f(x + eps) - f(x - eps)) / (2 eps)``: the central difference of a float function."""
    return (f(x + epsilon) - f(x - epsilon)) / (2.0 * epsilon)
