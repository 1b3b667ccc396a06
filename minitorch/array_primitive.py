"""Custom primitives on traced arrays: one graph node per call, derivatives from ``defvjp``.

:class:`~minitorch.primitive.Primitive` sends a call here when an argument is a traced array (see
:mod:`minitorch.array_trace`). The call becomes one node whose forward runs the plain function on
the arrays' values and whose backward calls the registered vjpmakers
``(ans, *args, **kwargs) -> (g -> vjp)``. At higher orders the values are traced arrays of a lower
level: the primitive is then called again on them (recording a node at that level too), and its
vjpmakers, written with NumPy calls, run on traced arrays, so they are differentiated as well.

Examples:
    >>> import numpy as np
    >>> from minitorch import grad, primitive, defvjp
    >>> @primitive
    ... def cube(x):
    ...     return x**3
    >>> defvjp(cube, lambda ans, x: lambda g: g * 3 * x**2)
    >>> grad(lambda x: np.sum(cube(x)))(np.array([1.0, 2.0]))
    array([ 3., 12.])
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from .array_trace import ArrayFunction, is_traced
from .autodiff import Context

__all__ = ["PrimitiveOnArrays", "array_node_for", "PrimitiveLike", "missing_vjpmaker"]


class PrimitiveLike(Protocol):
    """What a node needs from a primitive: its name, plain function and vjpmakers."""

    __name__: str
    fun: Any
    vjpmakers: dict[int, Any]

    def __call__(self, *args: Any, **kwargs: Any) -> Any: ...


def missing_vjpmaker(name: str, position: int) -> NotImplementedError:
    """The error for differentiating argument ``position`` of primitive ``name`` without a vjpmaker
    (on Scalars and on arrays alike)."""
    return NotImplementedError(
        f"primitive {name}: argument {position} is being differentiated but has no vjpmaker; "
        f"register one with defvjp({name}, ...) at position {position}"
    )


class PrimitiveOnArrays(ArrayFunction):
    """The node of a primitive called on traced arrays; ``forward`` gets the primitive and its
    keyword arguments first (constants), then the positional arguments."""

    @staticmethod
    def forward(ctx: Context, prim: PrimitiveLike, kwargs: dict[str, Any], *args: Any) -> Any:
        if any(is_traced(a) for a in args):
            ans = prim(*args, **kwargs)  # a lower trace records the same primitive
        else:
            ans = prim.fun(*args, **kwargs)
            if not isinstance(ans, np.ndarray) and not np.isscalar(ans):
                raise TypeError(
                    f"primitive {prim.__name__} returned {type(ans).__name__}; a primitive on "
                    "arrays must return a number or a NumPy array"
                )
            ans = np.asarray(ans, dtype=np.float64)
        ctx.save_for_backward(prim, kwargs, ans, args)
        return ans

    @staticmethod
    def backward(ctx: Context, g: Any) -> tuple[Any, ...]:
        prim, kwargs, ans, args = ctx.saved_values
        grads: list[Any] = [None, None]
        for k, arg in enumerate(args):
            if not ctx.needs_grad(k + 2):
                grads.append(None)
                continue
            maker = prim.vjpmakers.get(k)
            if maker is None:
                raise missing_vjpmaker(prim.__name__, k)
            cotangent = maker(ans, *args, **kwargs)(g)
            if np.shape(cotangent) != np.shape(arg):
                raise ValueError(
                    f"primitive {prim.__name__}: the vjp for argument {k} returned "
                    f"{int(np.prod(np.shape(cotangent)))} number(s) (shape {np.shape(cotangent)}) "
                    f"for an argument of {int(np.prod(np.shape(arg)))} (shape {np.shape(arg)}); "
                    "return the argument's shape"
                )
            grads.append(cotangent)
        return tuple(grads)


def array_node_for(name: str) -> type[PrimitiveOnArrays]:
    """The node class of primitive ``name`` on arrays (named after it, for graphs and messages)."""
    return type(name, (PrimitiveOnArrays,), {"__doc__": f"The array node of primitive {name}."})
