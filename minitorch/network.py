"""The course's scalar network: ``Linear`` layers of Scalar parameters and the ``Network`` of three.

Two inputs, two hidden layers of ReLU units and one sigmoid output, every weight a
:class:`~minitorch.scalar.Scalar` held in a :class:`~minitorch.module.Parameter`; plus the log-loss
and the batch prediction that :mod:`minitorch.train` and the plots use.

Examples:
    >>> import random
    >>> model = Network(hidden=3, rng=random.Random(0))
    >>> len(model.parameters())
    25
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .module import Module, Parameter
from .scalar import Scalar

__all__ = ["Linear", "Network", "log_loss", "predict_proba"]


class Linear(Module):
    """A fully connected layer of Scalars: ``y_j = bias_j + sum_i x_i * weight_i_j``.

    Weights are registered as ``weight_{i}_{j}`` and biases as ``bias_{j}``, as in the course, each a
    leaf Scalar inside a :class:`~minitorch.module.Parameter`.

    Initialisation (He et al., 2015, for ReLU networks), which differs from the course's uniform
    ``[-1, 1]`` for everything: for inputs of unit variance, weights of variance ``2 / in_size``
    keep the size of the signal steady from one ReLU layer to the next. A uniform draw on
    ``[-bound, bound]`` has variance ``bound^2 / 3``, hence ``bound = sqrt(6 / in_size)``; inputs of
    standard deviation ``input_std`` get weights divided by it. Hidden layers take inputs of about
    unit size (``input_std = 1``); the first layer's inputs are uniform in ``[0, 1]``, with standard
    deviation ``1 / sqrt(12)``, so its weights are drawn from ``[-6, 6]``.

    Biases are 0, unless ``centres`` gives one point per output: then ``bias_j = -w_j . c_j``, so
    the kink of unit ``j`` (where ``w_j . x + bias_j = 0``) passes through ``c_j``. For the first
    layer, centres inside the unit square mean every unit starts by splitting the data, instead of
    being on (or off) for all of it.

    Args:
        in_size: the number of inputs.
        out_size: the number of outputs.
        rng: the random source of the initial weights.
        input_std: the standard deviation of the inputs, used to scale the weights.
        centres: optional ``out_size`` points of ``in_size`` coordinates for the biases.

    Raises:
        ValueError: if ``centres`` does not hold ``out_size`` points of ``in_size`` coordinates.

    Examples:
        >>> import random
        >>> layer = Linear(2, 3, random.Random(0))
        >>> len(layer.parameters()), len(layer.forward([Scalar(1.0), Scalar(2.0)]))
        (9, 3)
    """

    def __init__(
        self,
        in_size: int,
        out_size: int,
        rng: random.Random,
        *,
        input_std: float = 1.0,
        centres: Sequence[Sequence[float]] | None = None,
    ) -> None:
        super().__init__()
        if centres is not None and (
            len(centres) != out_size or any(len(c) != in_size for c in centres)
        ):
            raise ValueError(
                f"Linear: centres must hold {out_size} point(s) of {in_size} coordinate(s), one per "
                f"output, got {[len(c) for c in centres]} coordinates for {len(centres)} point(s)"
            )
        bound = math.sqrt(6.0 / in_size) / input_std
        values = [[rng.uniform(-bound, bound) for _ in range(out_size)] for _ in range(in_size)]
        self.weights: list[list[Parameter]] = [
            [self.add_parameter(f"weight_{i}_{j}", Scalar(w)) for j, w in enumerate(row)]
            for i, row in enumerate(values)
        ]
        biases = [
            0.0 if centres is None else -sum(values[i][j] * centres[j][i] for i in range(in_size))
            for j in range(out_size)
        ]
        self.bias: list[Parameter] = [
            self.add_parameter(f"bias_{j}", Scalar(b)) for j, b in enumerate(biases)
        ]

    def forward(self, inputs: Sequence[Scalar]) -> list[Scalar]:
        """Return the ``out_size`` outputs for ``in_size`` input Scalars.

        Raises:
            ValueError: if the number of inputs is not ``in_size``.
        """
        if len(inputs) != len(self.weights):
            raise ValueError(
                f"Linear.forward: this layer takes {len(self.weights)} input(s), got {len(inputs)}"
            )
        # Parameters are read through ``.value`` every call: optimizers replace the Scalar inside.
        y: list[Scalar] = [b.value for b in self.bias]
        for x, row in zip(inputs, self.weights, strict=True):
            for j, w in enumerate(row):
                y[j] = y[j] + x * w.value
        return y

    def matrices(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """The current weights (``in_size x out_size``) and biases as float arrays."""
        weights = np.array([[w.value.data for w in row] for row in self.weights], dtype=np.float64)
        bias = np.array([b.value.data for b in self.bias], dtype=np.float64)
        return weights, bias


UNIT_SQUARE_STD = 1.0 / math.sqrt(12.0)
"""The standard deviation of a coordinate drawn uniformly from ``[0, 1]``: the datasets' inputs."""


class Network(Module):
    """The course's classifier: ``sigmoid(L3(relu(L2(relu(L1(x))))))`` for a point ``x`` in 2-D.

    The first layer is initialised for inputs in the unit square (see :class:`Linear`): its weights
    are scaled for the inputs' spread and each unit's kink passes through a random point of the
    square. The other layers use plain He initialisation with zero biases.

    Args:
        hidden: the width of both hidden layers.
        rng: the random source of the initial weights.

    Examples:
        >>> import random
        >>> net = Network(hidden=4, rng=random.Random(0))
        >>> p = net.forward((Scalar(0.2), Scalar(0.7)))
        >>> 0.0 < p.data < 1.0, len(net.parameters())  # (2*4+4) + (4*4+4) + (4*1+1)
        (True, 37)
    """

    def __init__(self, hidden: int, rng: random.Random) -> None:
        super().__init__()
        centres = [(rng.random(), rng.random()) for _ in range(hidden)]
        self.layer1 = Linear(2, hidden, rng, input_std=UNIT_SQUARE_STD, centres=centres)
        self.layer2 = Linear(hidden, hidden, rng)
        self.layer3 = Linear(hidden, 1, rng)

    def forward(self, x: Sequence[Scalar]) -> Scalar:
        """Return the predicted probability that the point ``x = (x1, x2)`` has label 1."""
        middle = [h.relu() for h in self.layer1.forward(x)]
        end = [h.relu() for h in self.layer2.forward(middle)]
        return self.layer3.forward(end)[0].sigmoid()


def log_loss(out: Scalar, y: int) -> Scalar:
    """The log-loss of one prediction: ``-log(p)`` with ``p = out`` if ``y == 1`` else ``1 - out``.

    Examples:
        >>> round(log_loss(Scalar(0.8), 1).data, 4), round(log_loss(Scalar(0.8), 0).data, 4)
        (0.2231, 1.6094)
    """
    prob = out if y == 1 else 1.0 - out
    return -prob.log()


def predict_proba(model: Network, points: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """The model's probability of label 1 at many points at once, computed with NumPy.

    This is the same function as :meth:`Network.forward` on floats, without building a graph, so
    that drawing a decision boundary over thousands of grid points takes milliseconds. The sigmoid
    is computed as ``(1 + tanh(z / 2)) / 2``, which equals ``1 / (1 + e^-z)`` and never overflows.

    Args:
        model: a trained (or untrained) network.
        points: an array of shape ``(n, 2)``.

    Returns:
        An array of shape ``(n,)`` of probabilities.

    Raises:
        ValueError: if ``points`` does not have shape ``(n, 2)``.

    Examples:
        >>> import random
        >>> net = Network(hidden=3, rng=random.Random(0))
        >>> p = predict_proba(net, [[0.2, 0.7]])
        >>> bool(abs(p[0] - net.forward((Scalar(0.2), Scalar(0.7))).data) < 1e-12)
        True
    """
    h = np.asarray(points, dtype=np.float64)
    if h.ndim != 2 or h.shape[1] != 2:
        raise ValueError(
            f"predict_proba: points must have shape (n, 2), got shape {h.shape}; "
            "pass one (x1, x2) row per point"
        )
    for i, layer in enumerate((model.layer1, model.layer2, model.layer3)):
        weights, bias = layer.matrices()
        h = h @ weights + bias
        if i < 2:
            h = np.maximum(h, 0.0)
    result: npt.NDArray[np.float64] = 0.5 * (1.0 + np.tanh(0.5 * h[:, 0]))
    return result
