"""``Module`` and ``Parameter``: a tree of submodules and trainable values (course task 0.4).

Examples:
    >>> class Inner(Module):
    ...     def __init__(self) -> None:
    ...         super().__init__()
    ...         self.w = Parameter(1.0)
    >>> class Outer(Module):
    ...     def __init__(self) -> None:
    ...         super().__init__()
    ...         self.inner = Inner()
    ...         self.b = Parameter(2.0)
    >>> [name for name, _ in Outer().named_parameters()]
    ['b', 'inner.w']
"""

from __future__ import annotations

import numbers
from typing import Any, NoReturn

from .scalar import Scalar
from .tensor import Tensor

__all__ = ["Module", "Parameter", "TRAINABLE_TYPES", "check_parameter_value", "is_trainable"]

TRAINABLE_TYPES: tuple[type, ...] = (Scalar, Tensor)
"""The value types an optimizer can train: leaf Scalars and leaf Tensors."""


def is_trainable(value: object) -> bool:
    """True if ``value`` is a leaf an optimizer can train: a :class:`~minitorch.scalar.Scalar` or a
    :class:`~minitorch.tensor.Tensor` you created (not a computed value, not a constant)."""
    return isinstance(value, (Scalar, Tensor)) and value.is_leaf()


def check_parameter_value(value: object, where: str = "Parameter()") -> None:
    """Decide what a :class:`Parameter` may hold, or raise a TypeError naming ``where``.

    A Parameter holds a trainable leaf (see :data:`TRAINABLE_TYPES`), a tensor-like value (one with a
    ``requires_grad_`` method, as the course's tests use), or, as in the course, a plain real number
    (kept as given, for tests of module trees; an optimizer cannot train it).

    Raises:
        TypeError: for anything else (strings, ``None``, lists, booleans, computed Scalars and
            Tensors), with what to pass instead.

    Examples:
        >>> check_parameter_value(Scalar(1.0))
        >>> check_parameter_value("abc")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        TypeError: Parameter() expects a Scalar (or a plain number), got str 'abc'; pass ...
    """
    if isinstance(value, Tensor) and not value.is_constant() and not value.is_leaf():
        fn = value.history.last_fn.__name__ if value.history and value.history.last_fn else "?"
        raise TypeError(
            f"{where} expects a leaf Tensor, but this one was computed (by {fn}); making it a "
            "Parameter would cut it from the graph that made it; pass t.detach() or a fresh tensor"
        )
    if is_trainable(value) or callable(getattr(value, "requires_grad_", None)):
        return  # a leaf Scalar, or a tensor-like value (the course tests with such a stand-in)
    if isinstance(value, Scalar):
        kind = "a constant" if value.is_constant() else "computed from other Scalars"
        raise TypeError(
            f"{where} expects a leaf Scalar, but {value!r} is {kind}, so it would never receive a "
            f"derivative; pass a fresh leaf: Parameter(Scalar({value.data!r}))"
        )
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return
    raise TypeError(
        f"{where} expects a Scalar (or a plain number), got {type(value).__name__} {value!r}; "
        "pass Parameter(Scalar(x)) with x a float"
    )


class Parameter:
    """A value a :class:`Module` trains, with an optional name.

    A Parameter is a box, not a number: compute with its value (``self.w.value * x``), never with
    the box itself (``self.w * x`` raises a TypeError saying so).

    The optimizers update the Scalar a Parameter holds *in place* (as PyTorch does), so a reference
    you keep to it (``w = Scalar(0.0); p = Parameter(w)``) trains too. :meth:`update` is different: it
    puts a new value in the box, and a reference to the old value no longer belongs to the Parameter.

    Args:
        x: the value: a leaf Scalar, or a plain number (kept as given; only Scalars can be trained).
        name: a label; when the value has a ``name`` attribute it is given this label too.

    Raises:
        TypeError: if ``x`` is not a Scalar or a real number (see :func:`check_parameter_value`).

    Examples:
        >>> p = Parameter(Scalar(3.0), name="bias")
        >>> p.value
        Scalar(3.0, name='bias')
        >>> p
        Parameter(Scalar(3.0, name='bias'), name='bias')
    """

    __slots__ = ("value", "name")

    def __init__(self, x: Any, name: str | None = None) -> None:
        if name is not None and not isinstance(name, str):
            raise TypeError(f"Parameter(): name must be a string or None, got {type(name).__name__} {name!r}")
        self.name = name
        self.value: Any = None
        self.update(x)

    def update(self, x: Any) -> None:
        """Put a new value in the box (a reference to the old value no longer trains with it).

        Raises:
            TypeError: if ``x`` is not a Scalar or a real number (see :func:`check_parameter_value`).
        """
        check_parameter_value(x, "Parameter.update()" if self.value is not None else "Parameter()")
        self.value = x
        if hasattr(x, "requires_grad_"):
            x.requires_grad_(True)
        if self.name is not None and hasattr(x, "name"):
            x.name = self.name

    def __repr__(self) -> str:
        label = "" if self.name is None else f", name={self.name!r}"
        return f"Parameter({self.value!r}{label})"

    def __str__(self) -> str:
        return repr(self)

    def _no_arithmetic(self, operator: str, *_: Any) -> NoReturn:
        """Raise the TypeError that tells a student to compute with ``.value``."""
        label = "" if self.name is None else f" {self.name!r}"
        raise TypeError(
            f"unsupported operand for {operator}: Parameter{label} is a box around a value; "
            f"compute with its value instead (self.w.value {operator} x, not self.w {operator} x)"
        )

    def __add__(self, other: Any) -> NoReturn:
        self._no_arithmetic("+")

    def __sub__(self, other: Any) -> NoReturn:
        self._no_arithmetic("-")

    def __mul__(self, other: Any) -> NoReturn:
        self._no_arithmetic("*")

    def __truediv__(self, other: Any) -> NoReturn:
        self._no_arithmetic("/")

    def __pow__(self, other: Any) -> NoReturn:
        self._no_arithmetic("**")

    def __matmul__(self, other: Any) -> NoReturn:
        self._no_arithmetic("@")

    def __lt__(self, other: Any) -> NoReturn:
        self._no_arithmetic("<")

    def __le__(self, other: Any) -> NoReturn:
        self._no_arithmetic("<=")

    def __gt__(self, other: Any) -> NoReturn:
        self._no_arithmetic(">")

    def __ge__(self, other: Any) -> NoReturn:
        self._no_arithmetic(">=")

    def __neg__(self) -> NoReturn:
        self._no_arithmetic("-")

    def __abs__(self) -> NoReturn:
        self._no_arithmetic("abs()")

    def __float__(self) -> NoReturn:
        self._no_arithmetic("float()")

    __radd__ = __add__
    __rsub__ = __sub__
    __rmul__ = __mul__
    __rtruediv__ = __truediv__
    __rpow__ = __pow__
    __rmatmul__ = __matmul__
    # NumPy: np.exp(parameter) and np.float64(1.0) * parameter get the same message.
    __array_ufunc__ = None


class Module:
    """A node in a tree of modules that owns parameters and child modules.

    Assigning a :class:`Module` or :class:`Parameter` to an attribute registers it; reading the
    attribute returns it. ``__call__`` forwards to :meth:`forward`.

    Attributes:
        training: whether the module is in training mode (see :meth:`train` and :meth:`eval`).
    """

    _modules: dict[str, Module]
    _parameters: dict[str, Parameter]
    training: bool

    def __init__(self) -> None:
        self.__dict__["_modules"] = {}
        self.__dict__["_parameters"] = {}
        self.__dict__["training"] = True

    def _registry(self, what: str) -> dict[str, Any]:
        try:
            registry: dict[str, Any] = self.__dict__[what]
        except KeyError:
            raise AttributeError(
                f"{type(self).__name__}.__init__ did not call super().__init__(), so its "
                "submodules and parameters cannot be registered; call super().__init__() first"
            ) from None
        return registry

    def modules(self) -> list[Module]:
        """The direct child modules (the course's name; PyTorch calls this ``children``)."""
        # BEGIN TASK 0.4
        # A child registered under two names is listed once.
        return list({id(m): m for m in self._registry("_modules").values()}.values())
        # END TASK 0.4

    def children(self) -> list[Module]:
        """The direct child modules, under PyTorch's name (same as :meth:`modules`)."""
        # BEGIN TASK 0.4
        return self.modules()
        # END TASK 0.4

    def train(self) -> None:
        """Set ``training = True`` on this module and every descendant."""
        # BEGIN TASK 0.4
        self._set_training(True)
        # END TASK 0.4

    def eval(self) -> None:
        """Set ``training = False`` on this module and every descendant."""
        # BEGIN TASK 0.4
        self._set_training(False)
        # END TASK 0.4

    def _set_training(self, mode: bool) -> None:
        # BEGIN TASK 0.4
        for _, module in self.named_modules():
            module.__dict__["training"] = mode
        # END TASK 0.4

    def named_modules(self) -> list[tuple[str, Module]]:
        """This module (named ``""``) and every descendant with its dotted name, each module once.

        The walk is depth first, a module before its children, children in registration order. A
        module reachable along two paths (shared, or in a cycle such as ``a.child = b;
        b.parent = a``) is listed once, under the first name found.
        """
        # BEGIN TASK 0.4
        found: list[tuple[str, Module]] = []
        visited: set[int] = set()
        stack: list[tuple[str, Module]] = [("", self)]
        while stack:  # an explicit stack and a visited set: a cycle cannot loop forever
            name, module = stack.pop()
            if id(module) in visited:
                continue
            visited.add(id(module))
            found.append((name, module))
            children = list(module._registry("_modules").items())
            for child_name, child in reversed(children):  # reversed: popped in order
                stack.append((f"{name}.{child_name}" if name else child_name, child))
        return found
        # END TASK 0.4

    def named_parameters(self) -> list[tuple[str, Parameter]]:
        """Every parameter of this module and its descendants, with dotted names like ``"b.c.p3"``.

        This module's own parameters come first, then each child's in registration order. A
        Parameter reachable under two names is listed once, under the first (as in PyTorch), so an
        optimizer updates it once.
        """
        # BEGIN TASK 0.4
        named: list[tuple[str, Parameter]] = []
        seen: set[int] = set()
        for prefix, module in self.named_modules():
            for name, p in module._registry("_parameters").items():
                if id(p) not in seen:
                    seen.add(id(p))
                    named.append((f"{prefix}.{name}" if prefix else name, p))
        return named
        # END TASK 0.4

    def parameters(self) -> list[Parameter]:
        """Every parameter of this module and its descendants."""
        # BEGIN TASK 0.4
        return [p for _, p in self.named_parameters()]
        # END TASK 0.4

    def add_parameter(self, k: str, v: Any) -> Parameter:
        """Register ``v`` as a parameter named ``k`` and return the :class:`Parameter`.

        Raises:
            TypeError: if ``k`` is not a string, or ``v`` is not something a Parameter may hold.
        """
        if not isinstance(k, str):
            raise TypeError(
                f"{type(self).__name__}.add_parameter: the name must be a str, got "
                f"{type(k).__name__} {k!r}"
            )
        p = v if isinstance(v, Parameter) else Parameter(v, k)
        self._registry("_parameters")[k] = p
        return p

    def __setattr__(self, key: str, val: Any) -> None:
        parameters, modules = self._registry("_parameters"), self._registry("_modules")
        # A name means one thing: forget whatever it was registered as before.
        parameters.pop(key, None)
        modules.pop(key, None)
        self.__dict__.pop(key, None)
        if isinstance(val, Parameter):
            parameters[key] = val
        elif isinstance(val, Module):
            modules[key] = val
        else:
            super().__setattr__(key, val)

    def __getattr__(self, key: str) -> Any:
        # Called only when normal lookup fails: look in the registries, else fail loudly.
        for what in ("_parameters", "_modules"):
            registry = self.__dict__.get(what, {})
            if key in registry:
                return registry[key]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {key!r}")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """Compute the module's output; subclasses override this."""
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __repr__(self) -> str:
        # Built without recursion: a module already shown (shared, or a cycle) is shown by name.
        lines: list[str] = []
        shown: set[int] = set()
        stack: list[tuple[int, str, Module | None]] = [(0, "", self)]
        while stack:
            depth, label, module = stack.pop()
            indent = "  " * depth
            if module is None:  # the closing bracket of a module with children
                lines.append(f"{indent})")
                continue
            title = f"{indent}{label}{type(module).__name__}"
            children = list(module._registry("_modules").items())
            if id(module) in shown:
                lines.append(f"{title}(...)  # shown above")
                continue
            shown.add(id(module))
            if not children:
                lines.append(f"{title}()")
                continue
            lines.append(f"{title}(")
            stack.append((depth, "", None))
            for name, child in reversed(children):
                stack.append((depth + 1, f"({name}): ", child))
        return "\n".join(lines)
