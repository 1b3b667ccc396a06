"""Module 0: the float operators (tasks 0.1 and 0.2) and the higher-order list functions (task 0.3).

Every expectation comes from an independent source: Python's own arithmetic, the ``math`` module, an
algebraic identity, or a central difference of the forward function.
"""

import math
import warnings

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from reference import numerical_derivative
from strategies import assert_close, small_floats, small_positive_floats

from minitorch import operators

nonzero_floats = small_floats.filter(lambda x: abs(x) > 0.1)
short_lists = st.lists(small_floats, max_size=10)
gaps = st.floats(min_value=1e-3, max_value=50.0)


@st.composite
def list_pairs(draw: st.DrawFn) -> tuple[list[float], list[float]]:
    """Two lists of small floats of the same length."""
    n = draw(st.integers(min_value=0, max_value=10))
    same_length = st.lists(small_floats, min_size=n, max_size=n)
    return draw(same_length), draw(same_length)


# ## Task 0.1: the basic functions


@pytest.mark.task0_1
@given(small_floats, small_floats)
def test_mul_matches_python(x: float, y: float) -> None:
    assert operators.mul(x, y) == x * y


@pytest.mark.task0_1
@given(small_floats, small_floats)
def test_add_matches_python(x: float, y: float) -> None:
    assert operators.add(x, y) == x + y


@pytest.mark.task0_1
@given(small_floats)
def test_neg_matches_python(x: float) -> None:
    assert operators.neg(x) == -x


@pytest.mark.task0_1
@given(small_floats)
def test_id_returns_its_argument(x: float) -> None:
    assert operators.id(x) == x


@pytest.mark.task0_1
@given(small_floats)
def test_lt_is_one_when_less(x: float) -> None:
    assert operators.lt(x - 1.0, x) == 1.0


@pytest.mark.task0_1
@given(small_floats)
def test_lt_is_zero_when_not_less(x: float) -> None:
    assert operators.lt(x, x - 1.0) == 0.0
    assert operators.lt(x, x) == 0.0


@pytest.mark.task0_1
@given(small_floats, small_floats)
def test_lt_eq_trichotomy(x: float, y: float) -> None:
    """Exactly one of x < y, y < x, x == y holds."""
    assert operators.lt(x, y) + operators.lt(y, x) + operators.eq(x, y) == 1.0


@pytest.mark.task0_1
@given(small_floats)
def test_eq_is_one_for_equal_values(x: float) -> None:
    assert operators.eq(x, x) == 1.0


@pytest.mark.task0_1
@given(small_floats)
def test_eq_is_zero_for_different_values(x: float) -> None:
    assert operators.eq(x, x + 1.0) == 0.0


@pytest.mark.task0_1
@given(small_floats, small_floats)
def test_max_is_an_upper_bound_attained(x: float, y: float) -> None:
    m = operators.max(x, y)
    assert m >= x
    assert m >= y
    assert m in (x, y)


@pytest.mark.task0_1
@given(small_floats)
def test_is_close_accepts_values_within_tolerance(x: float) -> None:
    assert operators.is_close(x, x + 0.005) == 1.0


@pytest.mark.task0_1
@given(small_floats)
def test_is_close_rejects_values_outside_tolerance(x: float) -> None:
    assert operators.is_close(x, x + 0.02) == 0.0


@pytest.mark.task0_1
@given(small_floats)
def test_relu_keeps_positive_values(x: float) -> None:
    assume(x > 0.0)
    assert operators.relu(x) == x


@pytest.mark.task0_1
@given(small_floats)
def test_relu_zeroes_negative_values(x: float) -> None:
    assume(x < 0.0)
    assert operators.relu(x) == 0.0


@pytest.mark.task0_1
@given(small_floats)
def test_relu_difference_recovers_input(x: float) -> None:
    """relu(x) - relu(-x) = x for every x."""
    assert operators.relu(x) - operators.relu(-x) == x


@pytest.mark.task0_1
@given(small_floats)
def test_sigmoid_matches_tanh_identity(x: float) -> None:
    """sigmoid(x) = (1 + tanh(x / 2)) / 2, an independent formula."""
    assert_close(operators.sigmoid(x), (1.0 + math.tanh(x / 2.0)) / 2.0, tol=1e-12)


@pytest.mark.task0_1
def test_sigmoid_of_zero_is_one_half() -> None:
    assert operators.sigmoid(0.0) == 0.5


@pytest.mark.task0_1
@pytest.mark.parametrize(
    ("x", "limit"), [(1000.0, 1.0), (-1000.0, 0.0), (1e308, 1.0), (-1e308, 0.0)],
    ids=lambda v: repr(v),
)
def test_sigmoid_is_stable_for_large_inputs(x: float, limit: float) -> None:
    promise = (
        f"operators.sigmoid({x!r}) must be {limit!r} without overflow or warning: its docstring "
        "promises the stable form, which exponentiates only numbers <= 0"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            result = operators.sigmoid(x)
        except Exception as error:  # OverflowError from math.exp, or a warning turned into one
            pytest.fail(f"{promise}; it raised {type(error).__name__}: {error}")
    assert result == limit, f"{promise}; it returned {result!r}"


@pytest.mark.task0_1
@given(small_floats)
def test_log_matches_math(x: float) -> None:
    assume(x > 0.0)
    assert_close(operators.log(x), math.log(x), tol=1e-12)


@pytest.mark.task0_1
@given(small_positive_floats, small_positive_floats)
def test_log_turns_products_into_sums(x: float, y: float) -> None:
    assert_close(operators.log(x * y), operators.log(x) + operators.log(y), tol=1e-9)


@pytest.mark.task0_1
@given(small_floats)
def test_exp_inverts_log(x: float) -> None:
    assert_close(operators.log(operators.exp(x)), x, tol=1e-9)


@pytest.mark.task0_1
@given(small_floats, small_floats)
def test_exp_turns_sums_into_products(x: float, y: float) -> None:
    assert_close(operators.exp(x + y), operators.exp(x) * operators.exp(y), tol=1e-9)


@pytest.mark.task0_1
@given(nonzero_floats)
def test_inv_times_input_is_one(x: float) -> None:
    assert_close(operators.inv(x) * x, 1.0, tol=1e-12)


@pytest.mark.task0_1
@given(nonzero_floats)
def test_inv_is_an_involution(x: float) -> None:
    assert_close(operators.inv(operators.inv(x)), x, tol=1e-12)


@pytest.mark.task0_1
@given(small_floats)
def test_pow_two_is_square(x: float) -> None:
    assert_close(operators.pow(x, 2.0), x * x, tol=1e-12)  # libm pow may be 1 ulp off


@pytest.mark.task0_1
@given(small_positive_floats, st.floats(min_value=-3.0, max_value=3.0))
def test_pow_matches_exp_log(x: float, y: float) -> None:
    """x ** y = exp(y ln x) for x > 0."""
    assert_close(operators.pow(x, y), math.exp(y * math.log(x)), tol=1e-9)


@pytest.mark.task0_1
@given(st.floats(min_value=-10.0, max_value=10.0), st.integers(min_value=-5, max_value=5))
def test_pow_negative_base_integer_exponent_is_real(x: float, n: int) -> None:
    assume(abs(x) > 0.1)
    repeated = math.prod([x] * abs(n))
    assert_close(operators.pow(x, float(n)), repeated if n >= 0 else 1.0 / repeated, tol=1e-9)


@pytest.mark.task0_1
@pytest.mark.parametrize(
    ("x", "y", "expected"), [(10.0, 400.0, math.inf), (-10.0, 400.0, math.inf),
                             (-10.0, 401.0, -math.inf)],
    ids=lambda v: repr(v),
)
def test_pow_overflow_gives_signed_inf_with_warning(x: float, y: float, expected: float) -> None:
    with pytest.warns(RuntimeWarning, match="pow.*overflows"):
        assert operators.pow(x, y) == expected


@pytest.mark.task0_1
@given(small_floats)
def test_tanh_matches_exponential_formula(x: float) -> None:
    assume(abs(x) < 20.0)  # keep e^(2x) exact enough for the textbook formula
    e2x = math.exp(2.0 * x)
    assert_close(operators.tanh(x), (e2x - 1.0) / (e2x + 1.0), tol=1e-9)


@pytest.mark.task0_1
@given(small_floats)
def test_tanh_is_odd(x: float) -> None:
    assert operators.tanh(-x) == -operators.tanh(x)


@pytest.mark.task0_1
@given(small_floats)
def test_sqrt_squared_is_input(x: float) -> None:
    assume(x >= 0.0)
    assert_close(operators.sqrt(x) ** 2, x, tol=1e-12)


@pytest.mark.task0_1
@given(small_floats)
def test_sin_cos_pythagorean_identity(x: float) -> None:
    assert_close(operators.sin(x) ** 2 + operators.cos(x) ** 2, 1.0, tol=1e-12)


@pytest.mark.task0_1
@given(small_floats, small_floats)
def test_sin_addition_formula(x: float, y: float) -> None:
    expected = operators.sin(x) * operators.cos(y) + operators.cos(x) * operators.sin(y)
    assert_close(operators.sin(x + y), expected, tol=1e-9)


@pytest.mark.task0_1
@given(small_floats)
def test_abs_is_magnitude(x: float) -> None:
    assert operators.abs(x) >= 0.0
    assert operators.abs(x) in (x, -x)
    assert operators.abs(-x) == operators.abs(x)


# ## Task 0.1: what the docstrings promise at the edges of the domain
#
# The module docstring of ``operators`` promises IEEE results with a ``RuntimeWarning`` naming the
# function (``_domain_warning`` in operators.py does both), so ``math.log``, ``1.0 / x`` or
# ``math.exp`` alone, which raise at these points, must fail here with a message saying which
# promise they break.

EDGE_PROMISES = [
    # (the call, the function, its argument, the promised result)
    ("log(0.0)", operators.log, 0.0, -math.inf),
    ("log(-1.0)", operators.log, -1.0, math.nan),
    ("exp(1000.0)", operators.exp, 1000.0, math.inf),
    ("inv(0.0)", operators.inv, 0.0, math.inf),
    ("inv(-0.0)", operators.inv, -0.0, -math.inf),
]


def _same_float(a: float, b: float) -> bool:
    """Equal, counting nan as equal to nan."""
    return (math.isnan(a) and math.isnan(b)) or a == b


@pytest.mark.task0_1
@pytest.mark.parametrize(("call", "fn", "x", "promised"), EDGE_PROMISES,
                         ids=[entry[0] for entry in EDGE_PROMISES])
def test_operator_edge_gives_promised_value_with_warning(call, fn, x, promised) -> None:
    promise = (
        f"operators.{call} must return {promised!r} with a RuntimeWarning naming {call.split('(')[0]}, "
        "as the docstrings of operators promise"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = fn(x)
        except Exception as error:  # any exception breaks the promise
            pytest.fail(f"{promise}; it raised {type(error).__name__}: {error}")
    assert _same_float(result, promised), f"{promise}; it returned {result!r}"
    warned = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    assert warned, f"{promise}; it returned {result!r} without a warning"
    name = call.split("(")[0]
    assert any(name in str(w.message) for w in warned), (
        f"{promise}; it warned {[str(w.message) for w in warned]}"
    )


@pytest.mark.task0_1
@pytest.mark.parametrize("x", [1e-300, 1.0, 700.0], ids=lambda x: f"x={x}")
def test_operator_inside_its_domain_does_not_warn(x: float) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fn in (operators.log, operators.exp, operators.inv):
            assert math.isfinite(fn(x)), f"operators.{fn.__name__}({x!r}) must be finite"


@pytest.mark.task0_1
def test_max_of_equal_values_is_the_first() -> None:
    """The docstring says max returns x when x == y; signed zeros tell which one came back."""
    assert math.copysign(1.0, operators.max(-0.0, 0.0)) == -1.0, (
        "operators.max(x, y) must return x when x == y (max(-0.0, 0.0) is -0.0), as documented"
    )


@pytest.mark.task0_1
def test_is_close_is_strict_at_the_tolerance() -> None:
    assert operators.is_close(0.0, 0.5) == 0.0
    assert operators.is_close(1.0, 1.0) == 1.0
    assert operators.is_close(0.0, 0.01) == 0.0, (
        "operators.is_close must test |x - y| < 1e-2 (strictly less), as documented; "
        "is_close(0.0, 0.01) must be 0.0"
    )


# ## Task 0.1: the *_back functions against central differences of their forward function
# (computed by the tests' own helper: ``central_difference`` is task 1.1, which comes later)

BACK_FUNCTIONS = [
    ("log_back", operators.log_back, operators.log, small_positive_floats),
    ("inv_back", operators.inv_back, operators.inv, nonzero_floats),
    ("relu_back", operators.relu_back, operators.relu, nonzero_floats),
    ("sigmoid_back", operators.sigmoid_back, operators.sigmoid, small_floats),
]


@pytest.mark.task0_1
@pytest.mark.parametrize(("name", "back", "forward", "points"), BACK_FUNCTIONS,
                         ids=[entry[0] for entry in BACK_FUNCTIONS])
@given(data=st.data(), d=small_floats)
def test_back_matches_central_difference(name, back, forward, points, data, d) -> None:
    x = data.draw(points, label="x")
    assert_close(back(x, d), d * numerical_derivative(forward, x))


@pytest.mark.task0_1
def test_relu_back_at_zero_is_zero() -> None:
    """The subgradient at the kink is 0, as in PyTorch."""
    assert operators.relu_back(0.0, 5.0) == 0.0, (
        "operators.relu_back(0.0, d) must be 0.0: its docstring takes relu'(0) = 0"
    )


# ## Task 0.2: property tests in the course's style


@pytest.mark.task0_2
@given(small_floats)
def test_sigmoid_lies_between_zero_and_one(x: float) -> None:
    # BEGIN TASK 0.2
    assert 0.0 <= operators.sigmoid(x) <= 1.0
    # END TASK 0.2


@pytest.mark.task0_2
@given(small_floats)
def test_sigmoid_is_symmetric(x: float) -> None:
    """sigmoid(-x) = 1 - sigmoid(x)."""
    # BEGIN TASK 0.2
    assert_close(operators.sigmoid(-x), 1.0 - operators.sigmoid(x), tol=1e-12)
    # END TASK 0.2


@pytest.mark.task0_2
@given(small_floats, small_floats)
def test_sigmoid_is_monotone(x: float, y: float) -> None:
    # BEGIN TASK 0.2
    assume(x < y)
    assert operators.sigmoid(x) <= operators.sigmoid(y)
    # END TASK 0.2


@pytest.mark.task0_2
@given(st.floats(min_value=-30.0, max_value=30.0))
def test_sigmoid_is_strictly_increasing_where_representable(x: float) -> None:
    # BEGIN TASK 0.2
    assert operators.sigmoid(x) < operators.sigmoid(x + 1.0)
    # END TASK 0.2


@pytest.mark.task0_2
@given(small_floats, gaps, gaps)
def test_lt_is_transitive(a: float, gap1: float, gap2: float) -> None:
    # BEGIN TASK 0.2
    b = a + gap1
    c = b + gap2
    assert operators.lt(a, b) == 1.0
    assert operators.lt(b, c) == 1.0
    assert operators.lt(a, c) == 1.0
    # END TASK 0.2


@pytest.mark.task0_2
@given(small_floats, small_floats)
def test_mul_is_symmetric(x: float, y: float) -> None:
    # BEGIN TASK 0.2
    assert operators.mul(x, y) == operators.mul(y, x)
    # END TASK 0.2


@pytest.mark.task0_2
@given(small_floats, small_floats, small_floats)
def test_mul_distributes_over_add(x: float, y: float, z: float) -> None:
    # BEGIN TASK 0.2
    left = operators.mul(z, operators.add(x, y))
    right = operators.add(operators.mul(z, x), operators.mul(z, y))
    assert_close(left, right)
    # END TASK 0.2


@pytest.mark.task0_2
@given(small_floats)
def test_neg_is_an_involution(x: float) -> None:
    # BEGIN TASK 0.2
    assert operators.neg(operators.neg(x)) == x
    # END TASK 0.2


@pytest.mark.task0_2
@given(small_floats)
def test_add_neg_is_zero(x: float) -> None:
    # BEGIN TASK 0.2
    assert operators.add(x, operators.neg(x)) == 0.0
    # END TASK 0.2


# ## Task 0.2: the property tests must catch broken operators
#
# A property test whose body asserts nothing passes on any code. So each test of task 0.2 is run
# once more with the operators it is about replaced by broken ones, which give deterministic but
# meaningless answers, and it must fail then.


def _scrambled(*args: float) -> float:
    """A deterministic, meaningless number in [-2, 2) for the arguments (a broken operator)."""
    return (hash(args) % 4001) / 1000.0 - 2.0


def _scrambled_bool(*args: float) -> float:
    """A deterministic, meaningless 1.0 or 0.0 for the arguments (a broken comparison)."""
    return float(hash(args) % 2)


PROPERTY_TESTS = {
    # the name of each task 0.2 test: the operators it is about
    "test_sigmoid_lies_between_zero_and_one": ("sigmoid",),
    "test_sigmoid_is_symmetric": ("sigmoid",),
    "test_sigmoid_is_monotone": ("sigmoid",),
    "test_sigmoid_is_strictly_increasing_where_representable": ("sigmoid",),
    "test_lt_is_transitive": ("lt",),
    "test_mul_is_symmetric": ("mul",),
    "test_mul_distributes_over_add": ("mul", "add"),
    "test_neg_is_an_involution": ("neg",),
    "test_add_neg_is_zero": ("add", "neg"),
}


@pytest.mark.task0_2
@pytest.mark.parametrize("name", sorted(PROPERTY_TESTS))
def test_property_test_fails_on_broken_operators(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    property_test = globals()[name]
    broken = PROPERTY_TESTS[name]
    for op in broken:
        fake = _scrambled_bool if op == "lt" else _scrambled
        original = getattr(operators, op)
        monkeypatch.setattr(operators, op, fake)
        for key, value in list(globals().items()):  # a test may have imported the function itself
            if value is original:
                monkeypatch.setitem(globals(), key, fake)
    try:
        property_test()
    except NotImplementedError as error:
        pytest.fail(f"{name} is not written yet: {error}")
    except Exception:  # any failure is what we want: the test caught the broken operator
        return
    pytest.fail(
        f"{name} still passes when operators.{' and operators.'.join(broken)} return meaningless "
        "numbers: a property test must assert its property (see the task 0.2 page)"
    )


# ## Task 0.3: higher-order functions


@pytest.mark.task0_3
@given(short_lists)
def test_map_applies_function_to_each_element(ls: list[float]) -> None:
    assert operators.map(math.sin)(ls) == [math.sin(x) for x in ls]


@pytest.mark.task0_3
def test_map_accepts_any_iterable() -> None:
    assert operators.map(operators.neg)(x for x in (1.0, -2.0)) == [-1.0, 2.0]


@pytest.mark.task0_3
@given(list_pairs())
def test_zipWith_combines_elementwise(pair: tuple[list[float], list[float]]) -> None:
    ls1, ls2 = pair
    expected = [x * y for x, y in zip(ls1, ls2, strict=True)]
    assert operators.zipWith(operators.mul)(ls1, ls2) == expected


@pytest.mark.task0_3
def test_zipWith_rejects_lists_of_different_lengths() -> None:
    try:
        result = operators.zipWith(operators.add)([1.0, 2.0], [1.0, 2.0, 3.0])
    except ValueError as error:
        assert "(2 and 3)" in str(error), f"the ValueError must give both lengths: {error}"
    else:
        pytest.fail(
            f"zipWith on lists of lengths 2 and 3 returned {result!r}; its docstring promises a "
            "ValueError giving both lengths (zip() silently drops the extra element)"
        )


@pytest.mark.task0_3
def test_reduce_folds_from_the_left() -> None:
    """((0 * 10 + 1) * 10 + 2) * 10 + 3 = 123 only for a left fold in list order."""
    folded = operators.reduce(lambda acc, x: acc * 10.0 + x, 0.0)([1.0, 2.0, 3.0])
    assert folded == 123.0, (
        f"reduce must fold from the left, fn(fn(fn(start, x0), x1), x2), as documented: got {folded!r}"
    )


@pytest.mark.task0_3
@given(small_floats)
def test_reduce_of_empty_list_is_start(start: float) -> None:
    assert operators.reduce(operators.add, start)([]) == start


@pytest.mark.task0_3
@given(short_lists)
def test_negList_negates_each_element(ls: list[float]) -> None:
    assert operators.negList(ls) == [-x for x in ls]


@pytest.mark.task0_3
@given(list_pairs())
def test_addLists_adds_elementwise(pair: tuple[list[float], list[float]]) -> None:
    ls1, ls2 = pair
    assert operators.addLists(ls1, ls2) == [x + y for x, y in zip(ls1, ls2, strict=True)]


@pytest.mark.task0_3
@given(short_lists)
def test_sum_matches_exact_sum(ls: list[float]) -> None:
    assert_close(operators.sum(ls), math.fsum(ls))


@pytest.mark.task0_3
def test_sum_of_empty_list_is_zero() -> None:
    assert operators.sum([]) == 0.0


@pytest.mark.task0_3
@given(list_pairs())
def test_sum_distributes_over_addLists(pair: tuple[list[float], list[float]]) -> None:
    ls1, ls2 = pair
    summed_separately = operators.sum(ls1) + operators.sum(ls2)
    assert_close(summed_separately, operators.sum(operators.addLists(ls1, ls2)))


@pytest.mark.task0_3
@given(st.lists(small_floats, max_size=5))
def test_prod_matches_math_prod(ls: list[float]) -> None:
    assert_close(operators.prod(ls), math.prod(ls), tol=1e-9)


@pytest.mark.task0_3
def test_prod_of_empty_list_is_one() -> None:
    assert operators.prod([]) == 1.0
