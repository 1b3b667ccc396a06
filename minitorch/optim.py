"""Optimizers: ``SGD`` (the course's) and ``Adam``, for parameters whose values are Scalars or Tensors.

Arguments are checked when the optimizer is made, as PyTorch does: a bad learning rate fails at
``SGD(...)``, not later inside ``step()``. A Parameter listed twice is trained once. The state that
steps build up (Adam's moments and step count) is saved by :meth:`Optimizer.state_dict` and
restored by :meth:`Optimizer.load_state_dict`, keyed by each parameter's position in the list, so
it survives ``copy.deepcopy`` and ``pickle`` of a model with its optimizer.

Examples:
    >>> from minitorch import Parameter, Scalar
    >>> p = Parameter(Scalar(3.0))
    >>> opt = SGD([p], lr=0.1)
    >>> for _ in range(100):
    ...     opt.zero_grad()
    ...     (p.value * p.value).backward()
    ...     opt.step()
    >>> abs(p.value.data) < 1e-6
    True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt

from .checks import check_real, innermost
from .module import Module, Parameter, is_trainable
from .scalar import Scalar
from .tensor import Tensor, tensor_from_numpy

__all__ = ["Optimizer", "SGD", "Adam"]


class Optimizer:
    """Holds the parameters to train and clears their derivatives.

    Args:
        parameters: an iterable of :class:`~minitorch.module.Parameter` holding leaf Scalars,
            such as ``model.parameters()``. A Parameter listed twice is kept once.

    Raises:
        TypeError: if ``parameters`` is a Module (pass ``model.parameters()``) or not iterable, or
            an item is not a Parameter or holds no trainable value (a plain number, ``None``).
        ValueError: if ``parameters`` is empty.
    """

    def __init__(self, parameters: Iterable[Parameter]) -> None:
        name = type(self).__name__
        if isinstance(parameters, Module):
            raise TypeError(
                f"{name}(parameters) got the module {type(parameters).__name__} itself; "
                f"pass its parameters: {name}(model.parameters(), ...)"
            )
        if isinstance(parameters, (Parameter, str, bytes)) or not isinstance(parameters, Iterable):
            raise TypeError(
                f"{name}(parameters) expects an iterable of Parameters such as model.parameters(), "
                f"got {type(parameters).__name__}"
            )
        unique: dict[int, Parameter] = {}
        for i, p in enumerate(parameters):
            if not isinstance(p, Parameter):
                raise TypeError(
                    f"{name}(parameters): parameter {i} is {type(p).__name__}, not a Parameter; "
                    "pass module.parameters()"
                )
            if not is_trainable(p.value):
                raise TypeError(
                    f"{name}(parameters): parameter {i} ({p.name or 'unnamed'}) holds "
                    f"{type(p.value).__name__} {p.value!r}, which has no derivative to train; "
                    f"make it hold a leaf Scalar: Parameter(Scalar(...))"
                )
            # Keyed by the value: two names for one Parameter (or two Parameters around one
            # Scalar) must not update it twice in one step.
            unique.setdefault(id(p.value), p)
        if not unique:
            raise ValueError(f"{name}(parameters) got no parameters; pass model.parameters()")
        self.parameters = list(unique.values())

    def zero_grad(self) -> None:
        """Reset the derivative of every parameter's value to ``None``."""
        for p in self.parameters:
            if isinstance(p.value, Tensor):
                p.value.zero_grad_()
            else:
                p.value.derivative = None

    def _gradients(self) -> list[tuple[int, Parameter, Number]]:
        """``(position, parameter, derivative)`` for each parameter whose value has a derivative.

        The derivative is a float for a Scalar and a float64 array for a Tensor.
        """
        found = []
        for i, p in enumerate(self.parameters):
            try:
                g = _derivative(p.value)
            except ValueError as error:
                raise ValueError(
                    f"{type(self).__name__}.step(): parameter {i} ({p.name or 'unnamed'}): {error}"
                ) from None
            if g is not None:
                found.append((i, p, g))
        return found

    def step(self) -> None:
        """Update every parameter once."""
        raise NotImplementedError(f"{type(self).__name__} must define step()")

    def state_dict(self) -> dict[str, Any]:
        """The optimizer's settings and accumulated state, keyed by parameter position.

        Positions (0, 1, ... in the order of ``self.parameters``) rather than object ids, so the
        state can be loaded into an optimizer made for a copy of the model.
        """
        return {"hyperparameters": self._hyperparameters(), "state": self._state()}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned (possibly from another optimizer's copy).

        Raises:
            TypeError: if ``state_dict`` is not such a dict.
            ValueError: if it was made for a different number of parameters.
        """
        name = type(self).__name__
        if not isinstance(state_dict, dict) or set(state_dict) != {"hyperparameters", "state"}:
            raise TypeError(
                f"{name}.load_state_dict expects the dict that state_dict() returns, "
                f"got {type(state_dict).__name__}"
            )
        state = state_dict["state"]
        positions = state.get("moments", {}) if isinstance(state, dict) else {}
        if any(not 0 <= i < len(self.parameters) for i in positions):
            raise ValueError(
                f"{name}.load_state_dict: the state was saved for other parameters (positions "
                f"{sorted(positions)}) than this optimizer's {len(self.parameters)}"
            )
        hyperparameters = state_dict["hyperparameters"]
        if not isinstance(hyperparameters, dict):
            raise TypeError(f"{name}.load_state_dict: 'hyperparameters' must be a dict")
        self._set_hyperparameters(**hyperparameters)
        self._load_state(state)

    def _hyperparameters(self) -> dict[str, Any]:
        return {}

    def _set_hyperparameters(self) -> None:
        pass

    def _state(self) -> dict[str, Any]:
        return {}

    def _load_state(self, state: dict[str, Any]) -> None:
        pass


Number = float | npt.NDArray[np.float64]
"""A parameter's value or derivative as the optimizers compute with it: a float or an array."""


def _derivative(value: Scalar | Tensor) -> Number | None:
    """The derivative an optimizer steps along, or None if backpropagation gave it none."""
    if isinstance(value, Tensor):
        grad = value.grad
        if grad is None:
            return None
        if not isinstance(grad, Tensor) or grad.shape != value.shape:
            got = f"shape {grad.shape}" if isinstance(grad, Tensor) else type(grad).__name__
            raise ValueError(
                f"its value of shape {value.shape} has a .grad of {got}; "
                "a gradient must be a Tensor of the parameter's shape (let backward() set it)"
            )
        return grad.to_numpy()
    return None if value.derivative is None else innermost(value.derivative)


def _current(value: Scalar | Tensor) -> Number:
    """The number(s) a parameter holds now."""
    return value.to_numpy() if isinstance(value, Tensor) else innermost(value.data)


def _set_value(p: Parameter, new_value: Number) -> None:
    """Give ``p`` its new value and clear its derivative.

    A Scalar is written in place, as PyTorch does, so a reference the user kept to it trains too;
    the old graph keeps its own saved floats, so nothing it computed changes. A Tensor gets a fresh
    leaf tensor on the same backend, as in the course (its old storage may be saved in an old graph,
    which must not change under it); read the trained tensor from ``p.value``.
    """
    value = p.value
    if isinstance(value, Tensor):
        p.update(tensor_from_numpy(np.asarray(new_value, dtype=np.float64), backend=value.backend))
    else:
        value.data = float(new_value)
        value.derivative = None


class SGD(Optimizer):
    """Stochastic gradient descent: ``value <- value - lr * derivative``.

    Args:
        parameters: the parameters to train, such as ``model.parameters()``.
        lr: the learning rate: a finite real number, 0 or more.

    Raises:
        TypeError, ValueError: naming the argument (see :class:`Optimizer` and :func:`check_real`).
    """

    def __init__(self, parameters: Iterable[Parameter], lr: float = 1.0) -> None:
        super().__init__(parameters)
        self._set_hyperparameters(lr)

    def _set_hyperparameters(self, lr: float) -> None:  # type: ignore[override]  # its own settings
        self.lr = check_real(lr, "SGD(lr)", low=0.0)

    def step(self) -> None:
        """Take one descent step on every parameter that has a derivative."""
        for _, p, g in self._gradients():
            _set_value(p, _current(p.value) - self.lr * g)

    def _hyperparameters(self) -> dict[str, Any]:
        return {"lr": self.lr}


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015): steps scaled by running moments of the derivative.

    ``m <- b1 m + (1 - b1) g``, ``v <- b2 v + (1 - b2) g^2``, and
    ``value <- value - lr * m_hat / (sqrt(v_hat) + eps)`` with the bias corrections
    ``m_hat = m / (1 - b1^t)`` and ``v_hat = v / (1 - b2^t)``. ``eps`` keeps the step finite when
    ``v`` is 0.

    Args:
        parameters: the parameters to train, such as ``model.parameters()``.
        lr: the learning rate: a finite real number, 0 or more.
        betas: the decay rates ``(b1, b2)`` of the first and second moments, each in ``[0, 1)``.
        eps: added to the denominator: finite and greater than 0.

    Raises:
        TypeError, ValueError: naming the argument (see :class:`Optimizer` and :func:`check_real`).
    """

    def __init__(
        self,
        parameters: Iterable[Parameter],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        super().__init__(parameters)
        self._set_hyperparameters(lr, betas, eps)
        self.steps = 0
        self._moments: dict[int, tuple[Number, Number]] = {}  # parameter position -> (m, v)

    def _set_hyperparameters(  # type: ignore[override]  # its own settings
        self, lr: float, betas: tuple[float, float], eps: float
    ) -> None:
        self.lr = check_real(lr, "Adam(lr)", low=0.0)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise TypeError(f"Adam(betas) expects a pair (b1, b2) such as (0.9, 0.999), got {betas!r}")
        self.betas = (
            check_real(betas[0], "Adam(betas[0])", low=0.0, high=1.0, high_open=True),
            check_real(betas[1], "Adam(betas[1])", low=0.0, high=1.0, high_open=True),
        )
        self.eps = check_real(eps, "Adam(eps)", low=0.0, low_open=True)

    def step(self) -> None:
        """Take one Adam step on every parameter that has a derivative."""
        self.steps += 1
        b1, b2 = self.betas
        correction1 = 1.0 - b1**self.steps
        correction2 = 1.0 - b2**self.steps
        for i, p, g in self._gradients():
            m, v = self._moments.get(i, (0.0, 0.0))
            m = b1 * m + (1.0 - b1) * g
            v = b2 * v + (1.0 - b2) * g * g
            self._moments[i] = (m, v)
            update = self.lr * (m / correction1) / (np.sqrt(v / correction2) + self.eps)
            _set_value(p, _current(p.value) - update)

    def _hyperparameters(self) -> dict[str, Any]:
        return {"lr": self.lr, "betas": self.betas, "eps": self.eps}

    def _state(self) -> dict[str, Any]:
        return {"steps": self.steps, "moments": dict(self._moments)}

    def _load_state(self, state: dict[str, Any]) -> None:
        self.steps = int(state["steps"])
        self._moments = {int(i): (_number(m), _number(v)) for i, (m, v) in state["moments"].items()}


def _number(x: Any) -> Number:
    """A saved moment as the optimizer computes with it: a float, or a float64 array (copied)."""
    return np.array(x, dtype=np.float64) if np.ndim(x) else float(x)
