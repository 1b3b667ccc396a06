"""The course's toy datasets: points in the unit square with 0/1 labels following each rule."""

import random
import re
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minitorch import Graph, datasets

# Each rule restated from the course's description of the dataset: label 1 where it holds.
RULES: dict[str, Callable[[float, float], bool]] = {
    "Simple": lambda x1, x2: x1 < 0.5,
    "Diag": lambda x1, x2: x1 + x2 < 0.5,
    "Split": lambda x1, x2: x1 < 0.2 or x1 > 0.8,
    "Xor": lambda x1, x2: (x1 < 0.5 and x2 > 0.5) or (x1 > 0.5 and x2 < 0.5),
    "Circle": lambda x1, x2: (x1 - 0.5) ** 2 + (x2 - 0.5) ** 2 > 0.1,
}
NAMES = sorted(datasets)
sizes = st.integers(min_value=2, max_value=200)  # Spiral needs a point per arm
seeds = st.integers(min_value=0, max_value=2**32)


def expected_size(name: str, n: int) -> int:
    """Spiral is documented to return two arms of N // 2 points; the others return N points."""
    return 2 * (n // 2) if name == "Spiral" else n


def test_datasets_are_the_course_six() -> None:
    assert set(datasets) == {"Simple", "Diag", "Split", "Xor", "Circle", "Spiral"}


@pytest.mark.parametrize("name", NAMES)
@given(n=sizes, seed=seeds)
def test_dataset_returns_graph_of_documented_size(name: str, n: int, seed: int) -> None:
    graph = datasets[name](n, rng=random.Random(seed))
    assert isinstance(graph, Graph)
    assert graph.N == len(graph.X) == len(graph.y) == expected_size(name, n)


@pytest.mark.parametrize("name", NAMES)
@given(n=sizes, seed=seeds)
def test_dataset_points_lie_in_unit_square(name: str, n: int, seed: int) -> None:
    graph = datasets[name](n, rng=random.Random(seed))
    assert all(len(p) == 2 and 0.0 <= p[0] <= 1.0 and 0.0 <= p[1] <= 1.0 for p in graph.X)


@pytest.mark.parametrize("name", NAMES)
@given(n=sizes, seed=seeds)
def test_dataset_labels_are_zero_or_one(name: str, n: int, seed: int) -> None:
    assert set(datasets[name](n, rng=random.Random(seed)).y) <= {0, 1}


@pytest.mark.parametrize("name", NAMES)
def test_dataset_has_both_labels(name: str) -> None:
    assert set(datasets[name](200, rng=random.Random(0)).y) == {0, 1}


@pytest.mark.parametrize("name", sorted(RULES))
@given(n=sizes, seed=seeds)
def test_dataset_labels_follow_rule(name: str, n: int, seed: int) -> None:
    graph = datasets[name](n, rng=random.Random(seed))
    rule = RULES[name]
    assert graph.y == [int(rule(x1, x2)) for x1, x2 in graph.X]


@pytest.mark.parametrize(
    ("point", "label"),
    [((0.25, 0.75), 1), ((0.75, 0.25), 1), ((0.25, 0.25), 0), ((0.75, 0.75), 0)],
    ids=["top_left", "bottom_right", "bottom_left", "top_right"],
)
def test_xor_labels_quadrants(point: tuple[float, float], label: int) -> None:
    """Find a drawn point in each quadrant and check its label."""
    graph = datasets["Xor"](400, rng=random.Random(1))
    in_quadrant = [
        y for (x1, x2), y in zip(graph.X, graph.y, strict=True)
        if abs(x1 - point[0]) < 0.25 and abs(x2 - point[1]) < 0.25
    ]
    assert in_quadrant
    assert set(in_quadrant) == {label}


@given(st.integers(min_value=2, max_value=100))
def test_spiral_first_arm_is_zero_second_is_one(n: int) -> None:
    graph = datasets["Spiral"](n)
    half = n // 2
    assert graph.y == [0] * half + [1] * half


@given(st.integers(min_value=2, max_value=100))
def test_spiral_arms_are_point_reflections_through_centre(n: int) -> None:
    """The second arm is the first rotated half a turn around (0.5, 0.5)."""
    graph = datasets["Spiral"](n)
    half = n // 2
    for (a1, a2), (b1, b2) in zip(graph.X[:half], graph.X[half:], strict=True):
        assert abs(a1 + b1 - 1.0) < 1e-12
        assert abs(a2 + b2 - 1.0) < 1e-12


@pytest.mark.parametrize("name", NAMES)
@given(seed=seeds)
def test_dataset_is_reproducible_with_seeded_rng(name: str, seed: int) -> None:
    first = datasets[name](50, rng=random.Random(seed))
    second = datasets[name](50, rng=random.Random(seed))
    assert first == second


@pytest.mark.parametrize("name", sorted(RULES))
def test_dataset_differs_between_seeds(name: str) -> None:
    assert datasets[name](50, rng=random.Random(1)).X != datasets[name](50, rng=random.Random(2)).X


@pytest.mark.parametrize("name", sorted(RULES))
def test_dataset_without_rng_uses_global_random(name: str) -> None:
    state = random.getstate()
    try:
        random.seed(7)
        first = datasets[name](20)
        random.seed(7)
        second = datasets[name](20)
    finally:
        random.setstate(state)
    assert first == second


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("bad_n", [0, -3], ids=repr)
def test_dataset_rejects_bad_size(name: str, bad_n: object) -> None:
    with pytest.raises(ValueError, match=rf"datasets\['{name}'\]: N must be .*{re.escape(repr(bad_n))}"):
        datasets[name](bad_n)  # type: ignore[arg-type]  # deliberately wrong


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("bad_n", [2.5, "10", None, True], ids=repr)
def test_dataset_rejects_non_integer_size(name: str, bad_n: object) -> None:
    message = rf"datasets\['{name}'\]: N must be an integer.*{re.escape(repr(bad_n))}"
    with pytest.raises(TypeError, match=message):
        datasets[name](bad_n)  # type: ignore[arg-type]  # deliberately wrong


def test_spiral_needs_a_point_per_arm() -> None:
    with pytest.raises(ValueError, match=r"datasets\['Spiral'\]: N must be at least 2, got 1"):
        datasets["Spiral"](1)


@pytest.mark.parametrize("name", NAMES)
def test_dataset_rejects_bad_rng(name: str) -> None:
    with pytest.raises(TypeError, match=r"rng must be a random\.Random"):
        datasets[name](4, rng=7)  # type: ignore[arg-type]  # deliberately wrong
