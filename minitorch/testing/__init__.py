"""Tools for testing derivatives: the course's catalogue, gradient checks, and checks for your own functions.

- :class:`MathTest` / :class:`MathTestVariable`: the course's catalogue of test functions
  (``minitorch.testing.catalogue``).
- :func:`check_grads`: derivatives of any function along random directions, forward and reverse
  mode, to any order (``minitorch.testing.gradcheck``).
- :func:`check_function` / :func:`check_function_at`: the contract of a ``ScalarFunction`` you wrote,
  at points drawn by hypothesis or at one point (``minitorch.testing.functions``, ``.contract``).
- :func:`find_wrong_backward`: which function of a graph has a wrong ``backward``
  (``minitorch.testing.diagnose``); ``minitorch.derivative_check`` uses it in its errors.
- :class:`Expression`: random computation graphs as small programs (``minitorch.testing.graphs``).
- ``minitorch.testing.strategies``: hypothesis strategies (floats, Scalars, expressions).

hypothesis is optional: this package imports without it. Only :func:`check_function` and
``minitorch.testing.strategies`` need it (``pip install "minitorch[test]"``), and they say so.
"""

from .catalogue import MathTest, MathTestVariable
from .contract import check_function_at
from .diagnose import WrongDerivative, find_wrong_backward
from .functions import check_function
from .gradcheck import check_grads
from .graphs import Expression, Step

__all__ = [
    "MathTest", "MathTestVariable", "check_grads", "check_function", "check_function_at",
    "find_wrong_backward", "WrongDerivative", "Expression", "Step",
]
