"""The functional API: ``grad``, ``value_and_grad``, ``jacobian``, ``hessian``, ``jvp``, ``vjp``.

Each transformation takes a fresh trace level (see :mod:`minitorch.trace`), wraps the argument in
leaf Scalars of that level (arrays become object arrays of Scalars), calls the function, and reads
the derivatives back in the argument's own structure: a float for a float, an array of the same
shape for an array, a dict with the same keys for a dict. The function may be written with plain
``numpy`` (see :mod:`minitorch.scalar_numpy`). Transformations nest: ``grad(grad(f))`` works
because every built-in derivative formula also runs on Scalars.

Ints are differentiated as real numbers (the gradient is a float); booleans, strings and other
objects in the differentiated argument raise ``TypeError`` naming their path.

Examples:
    >>> import numpy as np
    >>> f = lambda x: np.sin(x) * x
    >>> round(grad(f)(1.0), 6)             # cos(1) + sin(1)
    1.381773
    >>> round(grad(grad(f))(1.0), 6)       # 2 cos(1) - sin(1)
    0.239134
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import numpy as np

from . import functional_arrays as arrays
from .array_trace import TracedTensor
from .autodiff import backpropagate, enable_grad
from .checks import is_real, object_array
from .pytree import leaves_like, tree_leaves, tree_map
from .scalar import Scalar, make_scalar
from .trace import forward_trace, new_level

__all__ = ["grad", "value_and_grad", "grad_named", "multigrad_dict", "jacobian", "hessian", "jvp", "vjp"]


# ## Boxing arguments into leaves of a trace, and reading results back


def _box(value: Any, level: int, leaves: list[Any], path: str, traced_arrays: bool = False) -> Any:
    """Replace every number of ``value`` by a leaf Scalar of ``level``, appending each to ``leaves``.

    With ``traced_arrays`` (the array path, :mod:`minitorch.functional_arrays`), every number and
    array becomes one traced array of ``level`` instead.
    """

    def leaf(x: Any) -> Scalar:
        data = x if isinstance(x, Scalar) else float(x)
        s = make_scalar(data, None, None, (), level)
        leaves.append(s)
        return s

    def box_leaf(x: Any, where: str) -> Any:
        if traced_arrays:
            traced = arrays.box_array_leaf(x, level, where)
            leaves.append(traced)
            return traced
        if isinstance(x, np.ndarray):
            for k, e in enumerate(x.ravel() if x.dtype == object else ()):  # it may hold anything
                if not (isinstance(e, Scalar) or is_real(e)):
                    raise TypeError(
                        f"{where}: element {k} of the object array is {type(e).__name__} {e!r:.40}; "
                        "an array must hold numbers (or Scalars)"
                    )
            return _object_array([leaf(e) for e in x.ravel()], x.shape)
        return leaf(x)

    return tree_map(box_leaf, value, path)


def _object_array(items: list[Any], shape: tuple[int, ...]) -> np.ndarray:
    return object_array(items, shape)


def _as_array(items: list[Any], shape: tuple[int, ...]) -> np.ndarray:
    """A float array when every item is a plain number, else an object array (nested traces)."""
    if all(not isinstance(x, Scalar) for x in items):
        return np.array(items, dtype=float).reshape(shape)
    return _object_array(items, shape)


def _read_derivatives(original: Any, leaves: list[Any]) -> Any:
    """The derivatives of ``leaves`` arranged like ``original`` (0.0 where none arrived)."""
    if leaves and isinstance(leaves[0], TracedTensor):
        traced = iter(leaves)
        return tree_map(lambda x, _: arrays.read_array_derivative(x, next(traced)), original)
    remaining = iter(leaves)

    def derivative() -> Any:
        d = next(remaining).derivative
        if d is None:
            return 0.0
        return d if isinstance(d, (Scalar, TracedTensor)) else float(d)

    def read(x: Any, _: str) -> Any:
        if isinstance(x, np.ndarray):
            return _as_array([derivative() for _ in range(x.size)], x.shape)
        return derivative()

    return tree_map(read, original)


def _unbox(value: Any, level: int) -> Any:
    """Strip this trace's Scalars from an output, leaving floats or lower-level Scalars."""
    if isinstance(value, Scalar):
        return value.data if value.level == level else value
    if isinstance(value, TracedTensor):
        return arrays.unbox_array(value, level)
    if isinstance(value, np.ndarray) and value.dtype == object:
        return _as_array([_unbox(x, level) for x in value.ravel()], value.shape)
    if isinstance(value, (list, tuple, dict)):
        return tree_map(lambda x, _: _unbox(x, level), value, "output")
    return value


def _is_variable(x: Any, level: int) -> bool:
    if isinstance(x, TracedTensor):
        return arrays.is_array_variable(x, level)
    return isinstance(x, Scalar) and x.level == level and not x.is_constant()


def _scalar_output(out: Any, who: str) -> Any:
    """Accept a Scalar, a real number or a one-element array as the output of ``grad``'s function."""
    if isinstance(out, TracedTensor):
        return arrays.array_scalar_output(out, who)
    if isinstance(out, np.ndarray) and out.size == 1 and out.ndim <= 1:
        return out.reshape(()).item() if out.dtype == object else float(out.reshape(()))
    if isinstance(out, Scalar) or (isinstance(out, (int, float)) and not isinstance(out, bool)):
        return out
    shape = getattr(out, "shape", None)
    described = f"{type(out).__name__}" + (f" of shape {shape}" if shape is not None else "")
    raise TypeError(
        f"{who} needs a function with a scalar output, but it returned {described}; "
        "for vector outputs try jacobian(fun) or vjp(fun, ...)"
    )


def _backprop_scalar_output(out: Any, level: int, who: str) -> Any:
    """Check that ``out`` is a scalar and, if it depends on this trace, backpropagate from it."""
    out = _scalar_output(out, who)
    if _is_variable(out, level):
        backpropagate(out, np.ones(()) if isinstance(out, TracedTensor) else 1.0)
    return out


def check_transform(fun: Any, who: str, argnum: int | None = None) -> None:
    """Validate what a transformation is given, before it is called.

    Raises:
        TypeError: if ``fun`` is not callable, or ``argnum`` is not an int (booleans included).
        ValueError: if ``argnum`` is negative.
    """
    if not callable(fun):
        raise TypeError(
            f"{who}: fun must be a callable (the function to differentiate), got "
            f"{type(fun).__name__} {fun!r}; pass the function itself, e.g. {who}(f) not {who}(f(x))"
        )
    if argnum is None:
        return
    if not isinstance(argnum, int) or isinstance(argnum, bool):
        raise TypeError(
            f"{who}: argnum must be an int (the position of the argument to differentiate), got "
            f"{type(argnum).__name__} {argnum!r}"
        )
    if argnum < 0:
        raise ValueError(f"{who}: argnum={argnum} is negative; positions count from 0")


def _check_argnum(argnum: int, args: tuple[Any, ...], who: str) -> None:
    if not isinstance(argnum, int) or not 0 <= argnum < len(args):
        raise ValueError(
            f"{who}: argnum={argnum!r} is out of range for a call with {len(args)} positional "
            f"argument(s); choose an index from 0 to {len(args) - 1}"
        )


# ## Reverse mode


def value_and_grad(fun: Callable[..., Any], argnum: int = 0) -> Callable[..., tuple[Any, Any]]:
    """Return a function computing ``(fun(*args), d fun / d args[argnum])`` in one pass.

    Args:
        fun: a function with a scalar output.
        argnum: which positional argument to differentiate.

    Raises:
        TypeError: at once, if ``fun`` is not callable or ``argnum`` not an int; when called, if
            the output is not a scalar or the argument holds something that is not a number.
        ValueError: at once if ``argnum`` is negative; when called, if it is out of range.

    Examples:
        >>> value_and_grad(lambda x, y: x * y + y, argnum=1)(3.0, 2.0)
        (8.0, 4.0)
    """
    check_transform(fun, "value_and_grad", argnum)
    return _value_and_grad(fun, argnum, "value_and_grad")


def _value_and_grad(fun: Callable[..., Any], argnum: int, who: str) -> Callable[..., tuple[Any, Any]]:
    @functools.wraps(fun)
    @enable_grad()  # an outer no_grad must not turn the derivative into 0
    def value_and_grad_fun(*args: Any, **kwargs: Any) -> tuple[Any, Any]:
        _check_argnum(argnum, args, who)
        level = new_level()
        leaves: list[Any] = []
        boxed = list(args)
        on_arrays = arrays.traces_arrays((args[argnum],))
        boxed[argnum] = _box(args[argnum], level, leaves, f"{who}: args[{argnum}]", on_arrays)
        out = fun(*boxed, **kwargs)
        out = _backprop_scalar_output(arrays.lift_outputs(out) if on_arrays else out, level, who)
        return _unbox(out, level), _read_derivatives(args[argnum], leaves)

    return value_and_grad_fun


def grad(fun: Callable[..., Any], argnum: int = 0) -> Callable[..., Any]:
    """Return the gradient function of ``fun`` with respect to positional argument ``argnum``.

    A thin layer over :func:`value_and_grad`. The gradient has the structure and types of the
    argument.

    Examples:
        >>> grad(lambda p: p["w"] * p["w"] + p["b"])({"w": 3.0, "b": 1.0})
        {'w': 6.0, 'b': 1.0}
    """
    check_transform(fun, "grad", argnum)
    value_and_grad_fun = _value_and_grad(fun, argnum, "grad")

    @functools.wraps(fun)
    def grad_fun(*args: Any, **kwargs: Any) -> Any:
        return value_and_grad_fun(*args, **kwargs)[1]

    return grad_fun


def _bind(fun: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> inspect.BoundArguments:
    bound = inspect.signature(fun).bind(*args, **kwargs)
    bound.apply_defaults()
    return bound


def multigrad_dict(fun: Callable[..., Any]) -> Callable[..., dict[str, Any]]:
    """Return a function giving the gradient for every argument of ``fun``, by name.

    Arguments left at their defaults are differentiated too.

    Examples:
        >>> multigrad_dict(lambda x, y=2.0: x * y)(3.0)
        {'x': 2.0, 'y': 3.0}
    """
    check_transform(fun, "multigrad_dict")

    @functools.wraps(fun)
    @enable_grad()  # an outer no_grad must not turn the derivative into 0
    def multigrad_fun(*args: Any, **kwargs: Any) -> dict[str, Any]:
        bound = _bind(fun, args, kwargs)
        level = new_level()
        leaves: dict[str, list[Any]] = {}
        on_arrays = arrays.traces_arrays(tuple(bound.arguments.values()))
        for name, value in bound.arguments.items():
            leaves[name] = []
            bound.arguments[name] = _box(value, level, leaves[name], f"multigrad_dict: {name}", on_arrays)
        out = fun(*bound.args, **bound.kwargs)
        _backprop_scalar_output(arrays.lift_outputs(out) if on_arrays else out, level, "multigrad_dict")
        original = _bind(fun, args, kwargs).arguments
        return {name: _read_derivatives(original[name], leaves[name]) for name in leaves}

    return multigrad_fun


def grad_named(fun: Callable[..., Any], argname: str) -> Callable[..., Any]:
    """Return the gradient of ``fun`` with respect to the argument called ``argname``.

    Raises:
        ValueError: at once if ``fun`` has no parameter of that name.

    Examples:
        >>> grad_named(lambda x, scale=3.0: scale * x * x, "scale")(2.0)
        4.0
    """
    check_transform(fun, "grad_named")
    if not isinstance(argname, str):
        raise TypeError(f"grad_named: argname must be a str, got {type(argname).__name__} {argname!r}")
    parameters = inspect.signature(fun).parameters
    if argname not in parameters:
        raise ValueError(
            f"grad_named: {getattr(fun, '__name__', 'fun')} has no argument named {argname!r}; "
            f"its arguments are {', '.join(parameters)}"
        )

    @functools.wraps(fun)
    @enable_grad()  # an outer no_grad must not turn the derivative into 0
    def grad_named_fun(*args: Any, **kwargs: Any) -> Any:
        bound = _bind(fun, args, kwargs)
        original = bound.arguments[argname]
        level = new_level()
        leaves: list[Any] = []
        on_arrays = arrays.traces_arrays((original,))
        bound.arguments[argname] = _box(original, level, leaves, f"grad_named: {argname}", on_arrays)
        out = fun(*bound.args, **bound.kwargs)
        _backprop_scalar_output(arrays.lift_outputs(out) if on_arrays else out, level, "grad_named")
        return _read_derivatives(original, leaves)

    return grad_named_fun


def _output_elements(out: Any) -> tuple[list[Any], tuple[int, ...]]:
    """The elements of a function's output (a number, a Scalar or an array) and its shape."""
    if isinstance(out, np.ndarray):
        return list(out.ravel()), out.shape
    if isinstance(out, (Scalar, int, float)) and not isinstance(out, bool):
        return [out], ()
    raise TypeError(
        f"jacobian needs a function returning a number or an array, but it returned "
        f"{type(out).__name__}; flatten structured outputs with minitorch.flatten first"
    )


def jacobian(fun: Callable[..., Any], argnum: int = 0) -> Callable[..., Any]:
    """Return the Jacobian function of ``fun`` with respect to argument ``argnum``.

    The argument must be a number or an array, and the output a number or an array; the Jacobian
    has shape ``output.shape + argument.shape`` (a float when both are numbers). One reverse pass
    per output element.

    Examples:
        >>> import numpy as np
        >>> jacobian(lambda x: x * x)(np.array([1.0, 2.0]))
        array([[2., 0.],
               [0., 4.]])
    """
    check_transform(fun, "jacobian", argnum)

    @functools.wraps(fun)
    @enable_grad()  # an outer no_grad must not turn the derivative into 0
    def jacobian_fun(*args: Any, **kwargs: Any) -> Any:
        _check_argnum(argnum, args, "jacobian")
        x = args[argnum]
        if not isinstance(x, (np.ndarray, Scalar, TracedTensor, int, float)) or isinstance(x, bool):
            raise TypeError(
                f"jacobian: args[{argnum}] is {type(x).__name__}; jacobian differentiates numbers "
                "and arrays (use grad for structured arguments, or flatten them first)"
            )
        level = new_level()
        leaves: list[Any] = []
        boxed = list(args)
        if arrays.traces_arrays((x,)):
            boxed[argnum] = _box(x, level, leaves, f"jacobian: args[{argnum}]", traced_arrays=True)
            return arrays.array_jacobian(arrays.lift_outputs(fun(*boxed, **kwargs)), leaves[0], level)
        boxed[argnum] = _box(x, level, leaves, f"jacobian: args[{argnum}]")
        elements, out_shape = _output_elements(fun(*boxed, **kwargs))
        rows: list[Any] = []
        for element in elements:
            for leaf in leaves:
                leaf.derivative = None
            if _is_variable(element, level):
                backpropagate(element, 1.0)
            rows.extend(0.0 if leaf.derivative is None else leaf.derivative for leaf in leaves)
        in_shape = np.shape(x) if isinstance(x, np.ndarray) else ()
        shape = tuple(out_shape) + tuple(in_shape)
        return rows[0] if not shape else _as_array(rows, shape)

    return jacobian_fun


def hessian(fun: Callable[..., Any], argnum: int = 0) -> Callable[..., Any]:
    """Return the Hessian function of a scalar ``fun``: the Jacobian of its gradient.

    Examples:
        >>> import numpy as np
        >>> hessian(lambda x: x[0] * x[0] * x[1])(np.array([1.0, 2.0]))
        array([[4., 2.],
               [2., 0.]])
    """
    check_transform(fun, "hessian", argnum)
    return jacobian(grad(fun, argnum), argnum)


def vjp(fun: Callable[..., Any], *primals: Any) -> tuple[Any, Callable[[Any], tuple[Any, ...]]]:
    """Evaluate ``fun(*primals)`` and return it with its vector-Jacobian product function.

    ``vjp_fn(g)`` takes a cotangent ``g`` with the structure of the output and returns a tuple
    with one cotangent per primal, ``g^T J``, each shaped like its primal. It can be called many
    times.

    Examples:
        >>> import numpy as np
        >>> out, vjp_fn = vjp(lambda x, y: x * y, np.array([1.0, 2.0]), 3.0)
        >>> vjp_fn(np.array([1.0, 1.0]))
        (array([3., 3.]), 3.0)
    """
    check_transform(fun, "vjp")
    level = new_level()
    leaves: list[list[Any]] = []
    boxed = []
    on_arrays = arrays.traces_arrays(primals)
    for i, primal in enumerate(primals):
        leaves.append([])
        boxed.append(_box(primal, level, leaves[-1], f"vjp: primals[{i}]", on_arrays))
    with enable_grad():
        out = fun(*boxed)
    if on_arrays or any(isinstance(o, TracedTensor) for o in tree_leaves(out)):
        out = arrays.lift_outputs(out)
        return _unbox(out, level), _array_vjp_fn(fun, out, primals, leaves, level)
    out_elements = [x for o in tree_leaves(out) for x in np.ravel(o)]
    out_plain = _unbox(out, level)

    @enable_grad()
    def vjp_fn(g: Any) -> tuple[Any, ...]:
        for group in leaves:
            for leaf in group:
                leaf.derivative = None
        weights = leaves_like(g, out_plain, "vjp: the cotangent") if _is_tree(g) else [
            w for c in tree_leaves(g) for w in np.ravel(c)
        ]
        if len(weights) != len(out_elements):
            raise ValueError(
                f"vjp: the cotangent has {len(weights)} number(s) but the output of "
                f"{getattr(fun, '__name__', 'fun')} has {len(out_elements)}; pass a cotangent "
                "with the structure and shape of the output"
            )
        total: Any = None
        for element, weight in zip(out_elements, weights, strict=True):
            if _is_variable(element, level):
                term = element * (weight if isinstance(weight, Scalar) else float(weight))
                total = term if total is None else total + term
        if total is not None:
            backpropagate(total, 1.0)
        return tuple(_read_derivatives(p, group) for p, group in zip(primals, leaves, strict=True))

    return out_plain, vjp_fn


def _is_tree(value: Any) -> bool:
    return isinstance(value, (list, tuple, dict))


def _array_vjp_fn(
    fun: Callable[..., Any], out: Any, primals: tuple[Any, ...], leaves: list[list[Any]], level: int
) -> Callable[[Any], tuple[Any, ...]]:
    """``vjp``'s function on the array path: one reverse pass per call."""
    outputs = tree_leaves(out)

    @enable_grad()
    def vjp_fn(g: Any) -> tuple[Any, ...]:
        for group in leaves:
            for leaf in group:
                leaf.grad = None
        cotangents = tree_leaves(g)
        if len(cotangents) != len(outputs):
            raise ValueError(
                f"vjp: the cotangent has {len(cotangents)} part(s) but the output of "
                f"{getattr(fun, '__name__', 'fun')} has {len(outputs)}; pass a cotangent with "
                "the structure and shape of the output"
            )
        arrays.array_vjp(outputs, cotangents, level)
        return tuple(_read_derivatives(p, group) for p, group in zip(primals, leaves, strict=True))

    return vjp_fn


# ## Forward mode


def jvp(fun: Callable[..., Any], primals: tuple[Any, ...], tangents: tuple[Any, ...]) -> tuple[Any, Any]:
    """Evaluate ``fun(*primals)`` and its directional derivative along ``tangents`` in one pass.

    Forward mode: every operation pushes its input tangents through its local derivatives as it
    runs, so the cost is one evaluation whatever the output's size. Returns
    ``(output, tangent_output)``, both shaped like the output.

    Examples:
        >>> jvp(lambda x, y: x * y, (3.0, 2.0), (1.0, 0.0))
        (6.0, 2.0)
    """
    check_transform(fun, "jvp")
    if not isinstance(primals, tuple) or not isinstance(tangents, tuple) or len(primals) != len(tangents):
        raise TypeError(
            "jvp: primals and tangents must be tuples of the same length (one tangent per argument), "
            f"got {type(primals).__name__} and {type(tangents).__name__}"
        )
    level = new_level()
    on_arrays = arrays.traces_arrays(primals)
    with forward_trace(level) as table, enable_grad():
        boxed = []
        for i, (primal, tangent) in enumerate(zip(primals, tangents, strict=True)):
            leaves: list[Any] = []
            boxed.append(_box(primal, level, leaves, f"jvp: primals[{i}]", on_arrays))
            if on_arrays:
                # One tangent per leaf, laid out like the primal (dicts matched by key).
                parts = leaves_like(tangent, primal, f"jvp: tangents[{i}]", whole=True)
                for leaf, t in zip(leaves, parts, strict=True):
                    table[leaf.unique_id] = arrays.as_tangent(t, leaf.shape, f"jvp: tangents[{i}]")
                continue
            directions = [
                t for leaf in leaves_like(tangent, primal, f"jvp: tangents[{i}]") for t in np.ravel(leaf)
            ]
            if len(directions) != len(leaves):
                raise ValueError(
                    f"jvp: tangents[{i}] has {len(directions)} number(s) but primals[{i}] has "
                    f"{len(leaves)}; give each tangent the structure of its primal"
                )
            for leaf, t in zip(leaves, directions, strict=True):
                table[leaf.unique_id] = t if isinstance(t, Scalar) else float(t)
        out = fun(*boxed)
        if on_arrays:
            out = arrays.lift_outputs(out)

        def tangent_of(x: Any) -> Any:
            if on_arrays or isinstance(x, TracedTensor):
                return arrays.array_tangent(x, level, table)
            if isinstance(x, Scalar) and x.level == level:
                return table.get(x.unique_id, 0.0)
            return 0.0

        def tangent_tree(value: Any) -> Any:
            if isinstance(value, np.ndarray) and not on_arrays:
                return _as_array([tangent_of(x) for x in value.ravel()], value.shape)
            if isinstance(value, (list, tuple, dict)):
                return tree_map(lambda x, _: tangent_tree(x), value, "output")
            return tangent_of(value)

        return _unbox(out, level), tangent_tree(out)
