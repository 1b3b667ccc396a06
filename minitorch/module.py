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

from typing import Any

__all__ = ["Module", "Parameter"]


class Parameter:
    """A value a :class:`Module` trains, with an optional name.

    Args:
        x: the value (a Scalar, a float, or later a tensor).
        name: a label; when the value has a ``name`` attribute it is given this label too.

    Examples:
        >>> p = Parameter(3.0, name="bias")
        >>> p.update(2.5)
        >>> p.value
        2.5
    """

    __slots__ = ("value", "name")

    def __init__(self, x: Any = None, name: str | None = None) -> None:
        self.name = name
        self.value: Any = None
        self.update(x)

    def update(self, x: Any) -> None:
        """Replace the value (optimizers call this after each step)."""
        self.value = x
        if hasattr(x, "requires_grad_"):
            x.requires_grad_(True)
        if self.name is not None and hasattr(x, "name"):
            x.name = self.name

    def __repr__(self) -> str:
        return repr(self.value)

    def __str__(self) -> str:
        return str(self.value)


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
        return list(self._registry("_modules").values())
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
        # Module trees are shallow, so recursion is the clear choice here.
        self.__dict__["training"] = mode
        for child in self.modules():
            child._set_training(mode)
        # END TASK 0.4

    def named_parameters(self) -> list[tuple[str, Parameter]]:
        """Every parameter of this module and its descendants, with dotted names like ``"b.c.p3"``.

        This module's own parameters come first, then each child's in registration order.
        """
        # BEGIN TASK 0.4
        named = list(self._registry("_parameters").items())
        for child_name, child in self._registry("_modules").items():
            named.extend((f"{child_name}.{name}", p) for name, p in child.named_parameters())
        return named
        # END TASK 0.4

    def parameters(self) -> list[Parameter]:
        """Every parameter of this module and its descendants."""
        # BEGIN TASK 0.4
        return [p for _, p in self.named_parameters()]
        # END TASK 0.4

    def add_parameter(self, k: str, v: Any) -> Parameter:
        """Register ``v`` as a parameter named ``k`` and return the :class:`Parameter`."""
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
        lines = [f"{type(self).__name__}("]
        for name, child in self._registry("_modules").items():
            child_repr = repr(child).replace("\n", "\n  ")
            lines.append(f"  ({name}): {child_repr}")
        if len(lines) == 1:
            return f"{type(self).__name__}()"
        return "\n".join([*lines, ")"])
