"""Custom primitives: turn a plain function on floats or arrays into one graph node.

``@primitive`` wraps a function written for plain numbers (often with NumPy). Called on plain
numbers it just runs. Called on Scalars (or arrays holding Scalars) it runs on their values and
records a single node, whose derivatives come from the vjpmakers registered with :func:`defvjp`.
A vjpmaker ``(ans, *args, **kwargs) -> (g -> vjp)`` receives the output and the arguments and
returns a function mapping the output's cotangent ``g`` to the argument's cotangent (a number for a
number argument, an array of the argument's shape for an array). Write the vjpmaker with NumPy
calls and it can itself be differentiated: the second derivative works too.

The function must return a single number. Keyword arguments are passed through and never
differentiated.

Examples:
    >>> import numpy as np
    >>> from minitorch import grad
    >>> @primitive
    ... def logsumexp(x):
    ...     m = np.max(x)
    ...     return m + np.log(np.sum(np.exp(x - m)))
    >>> defvjp(logsumexp, lambda ans, x: lambda g: np.full(x.shape, g) * np.exp(x - ans))
    >>> grad(logsumexp)(np.array([0.0, np.log(3.0)]))
    array([0.25, 0.75])
"""

from __future__ import annotations

import copyreg
import functools
import importlib
import numbers
import pickle
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from .array_primitive import array_node_for, missing_vjpmaker
from .array_trace import is_traced
from .autodiff import Context
from .checks import object_array
from .pytree import leaves_like
from .scalar import Scalar
from .scalar_function import ScalarFunction, call_function

__all__ = ["primitive", "defvjp", "Primitive"]

VJPMaker = Callable[..., Callable[[Any], Any]]


class _Call:
    """How one call's arguments were laid out, so ``forward`` can rebuild them from flat values."""

    __slots__ = ("primitive", "args", "kwargs", "spans")

    def __init__(self, primitive: Primitive, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self.primitive = primitive
        self.args = args  # the arguments as given: a skeleton whose numbers are replaced on rebuild
        self.kwargs = kwargs
        self.spans: list[tuple[int, int]] = []  # per positional argument: [start, stop) of its values

    def flat_values(self) -> list[Any]:
        values: list[Any] = []
        for arg in self.args:
            start = len(values)
            values.extend(_numbers_of(arg))
            self.spans.append((start, len(values)))
        return values

    def rebuild(self, raw: tuple[Any, ...]) -> list[Any]:
        position = iter(raw)
        return [_refill(arg, position) for arg in self.args]


def _numbers_of(value: Any) -> list[Any]:
    """The numbers and Scalars inside ``value``, in order; other objects are opaque constants."""
    if isinstance(value, Scalar) or (isinstance(value, numbers.Real) and not isinstance(value, bool)):
        return [value]
    if isinstance(value, np.ndarray) and value.dtype.kind in "fiuO":
        return list(value.ravel())
    if isinstance(value, (list, tuple)):
        return [x for item in value for x in _numbers_of(item)]
    if isinstance(value, dict):
        return [x for item in value.values() for x in _numbers_of(item)]
    return []


def _refill(value: Any, raw: Any) -> Any:
    """``value`` with its numbers replaced, in order, by the next items of the iterator ``raw``."""
    if isinstance(value, Scalar) or (isinstance(value, numbers.Real) and not isinstance(value, bool)):
        return next(raw)
    if isinstance(value, np.ndarray) and value.dtype.kind in "fiuO":
        items = [next(raw) for _ in range(value.size)]
        if any(isinstance(x, Scalar) for x in items):
            return object_array(items, value.shape)
        return np.array(items, dtype=float).reshape(value.shape)
    if isinstance(value, list):
        return [_refill(x, raw) for x in value]
    if isinstance(value, tuple):
        return tuple(_refill(x, raw) for x in value)
    if isinstance(value, dict):
        return {k: _refill(x, raw) for k, x in value.items()}
    return value


class _PrimitiveNode(ScalarFunction):
    """The graph node of a primitive call; ``forward`` receives the call's layout first."""

    @staticmethod
    def forward(ctx: Context, call: _Call, *raw: Any) -> Any:
        args = call.rebuild(raw)
        if any(isinstance(x, Scalar) for x in raw):
            ans = call.primitive(*args, **call.kwargs)  # a nested trace records it as a node too
        else:
            ans = call.primitive.fun(*args, **call.kwargs)
        ans = _single_number(ans, call.primitive.__name__)
        ctx.save_for_backward(call, ans, args)
        return ans

    @staticmethod
    def backward(ctx: Context, d_output: Any) -> tuple[Any, ...]:
        call, ans, args = ctx.saved_values
        prim = call.primitive
        derivatives: list[Any] = []
        for k, (start, stop) in enumerate(call.spans):
            if not any(ctx.needs_grad(i) for i in range(start, stop)):
                derivatives.extend([0.0] * (stop - start))
                continue
            maker = prim.vjpmakers.get(k)
            if maker is None:
                raise missing_vjpmaker(prim.__name__, k)
            cotangent = maker(ans, *args, **call.kwargs)(d_output)
            # Laid out like the argument (a dict by key, not by insertion order).
            values = leaves_like(cotangent, args[k], f"primitive {prim.__name__}: the vjp for argument {k}")
            if len(values) != stop - start:
                raise ValueError(
                    f"primitive {prim.__name__}: the vjp for argument {k} returned {len(values)} "
                    f"number(s) for an argument of {stop - start}; return the argument's shape"
                )
            derivatives.extend(v if isinstance(v, Scalar) else float(v) for v in values)
        return tuple(derivatives)


def _single_number(ans: Any, name: str) -> Any:
    if isinstance(ans, np.ndarray) and ans.size == 1:
        ans = ans.reshape(()).item() if ans.dtype == object else ans.reshape(())
    if isinstance(ans, Scalar):
        return ans
    if isinstance(ans, numbers.Real) and not isinstance(ans, bool):
        return float(ans)
    raise TypeError(
        f"primitive {name} returned {type(ans).__name__} {getattr(ans, 'shape', '')}; a primitive "
        "must return a single number"
    )


class Primitive:
    """A function on plain numbers that the engine treats as one differentiable operation.

    Create it with the :func:`primitive` decorator and give it derivatives with :func:`defvjp`.
    """

    def __init__(self, fun: Callable[..., Any]) -> None:
        self.fun = fun
        self.vjpmakers: dict[int, VJPMaker] = {}
        self.__name__ = getattr(fun, "__name__", "primitive")
        functools.update_wrapper(self, fun)
        # The primitive's own node classes, so graphs and messages show its name.
        self.node: type[_PrimitiveNode] = _NodeClass(  # type: ignore[assignment]  # a subclass of it
            self.__name__, (_PrimitiveNode,),
            {"__doc__": f"The graph node of primitive {self.__name__}.", "primitive": self},
        )
        self.array_node = array_node_for(self.__name__)  # for calls on traced arrays

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled by name, as functions are: its vjpmakers are often lambdas, which cannot be.
        module, name = getattr(self.fun, "__module__", None), getattr(self.fun, "__qualname__", "")
        try:
            found = _lookup(module, name) if module else None
        except ImportError:
            found = None
        if found is not self:
            raise pickle.PicklingError(
                f"primitive {self.__name__} cannot be pickled: only a primitive defined at the top "
                f"level of a module (found there under its own name) can, and {module}.{name} is not "
                "this primitive; define it at module level"
            )
        return (_lookup, (module, name))

    def __copy__(self) -> Primitive:
        return self  # like a function: copies of a graph share it

    def __deepcopy__(self, memo: dict[int, Any]) -> Primitive:
        return self

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if any(is_traced(a) for a in args):  # a traced array: one array node (array_primitive)
            if any(is_traced(v) for v in kwargs.values()):
                raise TypeError(
                    f"primitive {self.__name__}: a keyword argument is a traced array; keyword "
                    "arguments are never differentiated, so pass it positionally"
                )
            return self.array_node.apply(self, kwargs, *args)
        call = _Call(self, args, kwargs)
        values = call.flat_values()
        if not any(isinstance(v, Scalar) for v in values):
            return self.fun(*args, **kwargs)
        return call_function(self.node, values, prefix=(call,))

    def __repr__(self) -> str:
        return f"<minitorch primitive {self.__name__}>"


class _NodeClass(type):
    """The type of a primitive's node class, so that the class pickles as its primitive's ``node``."""


def _node_of(prim: Primitive) -> type[_PrimitiveNode]:
    return prim.node


def _reduce_node_class(cls: Any) -> tuple[Any, ...]:
    return (_node_of, (cls.primitive,))


def _lookup(module: str, qualname: str) -> Any:
    """The object named ``qualname`` in ``module`` (``None`` if there is none)."""
    found: Any = sys.modules.get(module) or importlib.import_module(module)
    for part in qualname.split("."):
        found = getattr(found, part, None)
    return found


copyreg.pickle(_NodeClass, _reduce_node_class)


def primitive(fun: Callable[..., Any]) -> Primitive:
    """Decorator: make ``fun`` (on floats or arrays, returning one number) a single graph node.

    Raises:
        TypeError: if ``fun`` is not callable (or is already a primitive).
    """
    if isinstance(fun, Primitive) or not callable(fun):
        raise TypeError(
            f"primitive: expects a plain function to wrap, got {type(fun).__name__} {fun!r}; "
            "write @primitive above a def"
        )
    return Primitive(fun)


def defvjp(fun: Primitive, *vjpmakers: VJPMaker | None) -> None:
    """Register the vjpmakers of a primitive, one per positional argument (``None`` to skip one).

    Raises:
        TypeError: if ``fun`` was not made with :func:`primitive`, or a vjpmaker is not callable.
    """
    if not isinstance(fun, Primitive):
        raise TypeError(
            f"defvjp: {getattr(fun, '__name__', fun)!r} is not a primitive; decorate it with "
            "@minitorch.primitive first"
        )
    for k, maker in enumerate(vjpmakers):
        if maker is not None and not callable(maker):
            raise TypeError(
                f"defvjp({fun.__name__}): vjpmaker {k} is {type(maker).__name__} {maker!r}; pass a "
                "function (ans, *args) -> (g -> vjp), or None to skip an argument"
            )
    for k, maker in enumerate(vjpmakers):
        if maker is not None:
            fun.vjpmakers[k] = maker
