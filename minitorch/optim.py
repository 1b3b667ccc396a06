"""Optimizers: ``SGD`` (the course's) and ``Adam``, for parameters whose values are Scalars or Tensors.

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

import math
from collections.abc import Sequence

import numpy as np

from .module import Parameter
from .scalar import Scalar, _innermost
from .tensor import Tensor, tensor_from_numpy

__all__ = ["Optimizer", "SGD", "Adam"]


class Optimizer:
    """Holds the parameters to train and clears their derivatives."""

    def __init__(self, parameters: Sequence[Parameter]) -> None:
        self.parameters = list(parameters)
        for i, p in enumerate(self.parameters):
            if not isinstance(p, Parameter):
                raise TypeError(
                    f"{type(self).__name__}: parameter {i} is {type(p).__name__}, not a Parameter; "
                    "pass module.parameters()"
                )

    def zero_grad(self) -> None:
        """Reset the derivative of every parameter's value to ``None``."""
        for p in self.parameters:
            if hasattr(p.value, "derivative"):
                p.value.derivative = None
            elif isinstance(p.value, Tensor):
                p.value.zero_grad_()

    def _tensor_gradients(self) -> list[tuple[Parameter, np.ndarray]]:
        """The parameters whose value is a Tensor with a gradient, with the gradient as an array."""
        return [
            (p, p.value.grad.to_numpy())
            for p in self.parameters
            if isinstance(p.value, Tensor) and p.value.grad is not None
        ]

    def _gradients(self) -> list[tuple[Parameter, float]]:
        """The parameters whose value has a derivative, with that derivative as a float."""
        return [
            (p, _innermost(p.value.derivative))
            for p in self.parameters
            if getattr(p.value, "derivative", None) is not None
        ]

    def step(self) -> None:
        """Update every parameter once."""
        raise NotImplementedError


def _replace_tensor(p: Parameter, new_value: np.ndarray) -> None:
    """Give ``p`` a fresh leaf Tensor holding ``new_value`` on the same backend, keeping its name."""
    old = p.value
    p.update(tensor_from_numpy(new_value, backend=old.backend))


def _replace(p: Parameter, new_value: float) -> None:
    """Give ``p`` a fresh leaf Scalar (so the old graph can be freed), keeping its name."""
    old = p.value
    p.update(Scalar(new_value, name=old._name if isinstance(old, Scalar) else None))


class SGD(Optimizer):
    """Stochastic gradient descent: ``value <- value - lr * derivative``.

    Args:
        parameters: the parameters to train.
        lr: the learning rate.
    """

    def __init__(self, parameters: Sequence[Parameter], lr: float = 1.0) -> None:
        super().__init__(parameters)
        self.lr = lr

    def step(self) -> None:
        """Take one descent step on every parameter that has a derivative."""
        for p, g in self._gradients():
            _replace(p, _innermost(p.value.data) - self.lr * g)
        for p, grad in self._tensor_gradients():
            _replace_tensor(p, p.value.to_numpy() - self.lr * grad)


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015): steps scaled by running moments of the derivative.

    ``m <- b1 m + (1 - b1) g``, ``v <- b2 v + (1 - b2) g^2``, and
    ``value <- value - lr * m_hat / (sqrt(v_hat) + eps)`` with the bias corrections
    ``m_hat = m / (1 - b1^t)`` and ``v_hat = v / (1 - b2^t)``. ``eps`` keeps the step finite when
    ``v`` is 0.

    Args:
        parameters: the parameters to train.
        lr: the learning rate.
        betas: the decay rates ``(b1, b2)`` of the first and second moments.
        eps: added to the denominator.
    """

    def __init__(
        self,
        parameters: Sequence[Parameter],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        super().__init__(parameters)
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.steps = 0
        self._moments: dict[int, tuple[float, float]] = {}
        self._tensor_moments: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def step(self) -> None:
        """Take one Adam step on every parameter that has a derivative."""
        self.steps += 1
        b1, b2 = self.betas
        correction1 = 1.0 - b1**self.steps
        correction2 = 1.0 - b2**self.steps
        for p, g in self._gradients():
            m, v = self._moments.get(id(p), (0.0, 0.0))
            m = b1 * m + (1.0 - b1) * g
            v = b2 * v + (1.0 - b2) * g * g
            self._moments[id(p)] = (m, v)
            update = self.lr * (m / correction1) / (math.sqrt(v / correction2) + self.eps)
            _replace(p, _innermost(p.value.data) - update)
        for p, grad in self._tensor_gradients():
            tm, tv = self._tensor_moments.get(id(p), (np.zeros_like(grad), np.zeros_like(grad)))
            tm = b1 * tm + (1.0 - b1) * grad
            tv = b2 * tv + (1.0 - b2) * grad * grad
            self._tensor_moments[id(p)] = (tm, tv)
            step = self.lr * (tm / correction1) / (np.sqrt(tv / correction2) + self.eps)
            _replace_tensor(p, p.value.to_numpy() - step)


