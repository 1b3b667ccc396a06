"""Module 0, task 0.4: ``Module`` trees and ``Parameter``."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from minitorch import Module, Parameter, Scalar

# ## A small tree in the course's shape: Root -> (left -> leaf), (right -> middle -> leaf)


class Leaf(Module):
    def __init__(self) -> None:
        super().__init__()
        self.p3 = Parameter(15.0)


class Middle(Module):
    def __init__(self) -> None:
        super().__init__()
        self.c = Leaf()


class Left(Module):
    def __init__(self) -> None:
        super().__init__()
        self.p2 = Parameter(10.0)


class Root(Module):
    def __init__(self) -> None:
        super().__init__()
        self.p1 = Parameter(5.0)
        self.non_param = 10
        self.a = Left()
        self.b = Middle()


class Sized(Module):
    """A module with ``extra`` parameters added by ``add_parameter`` and one child."""

    def __init__(self, extra: int) -> None:
        super().__init__()
        self.weight = Parameter(1.0)
        self.child = Leaf()
        for i in range(extra):
            self.add_parameter(f"extra_{i}", float(i))


class Doubler(Module):
    def forward(self, x: float) -> float:
        return 2.0 * x


@pytest.mark.task0_4
def test_module_named_parameters_have_dotted_names() -> None:
    named = dict(Root().named_parameters())
    assert set(named) == {"p1", "a.p2", "b.c.p3"}
    assert [named[k].value for k in ("p1", "a.p2", "b.c.p3")] == [5.0, 10.0, 15.0]


@pytest.mark.task0_4
def test_module_named_parameters_own_first_then_children_in_order() -> None:
    assert [name for name, _ in Root().named_parameters()] == ["p1", "a.p2", "b.c.p3"]


@pytest.mark.task0_4
def test_module_parameters_match_named_parameters() -> None:
    root = Root()
    assert root.parameters() == [p for _, p in root.named_parameters()]


@pytest.mark.task0_4
def test_module_parameter_attribute_returns_the_parameter() -> None:
    root = Root()
    assert isinstance(root.p1, Parameter)
    assert root.p1.value == 5.0
    assert root.b.c.p3.value == 15.0


@pytest.mark.task0_4
def test_module_plain_attribute_is_not_a_parameter() -> None:
    root = Root()
    assert root.non_param == 10
    assert "non_param" not in dict(root.named_parameters())


@pytest.mark.task0_4
def test_module_modules_are_direct_children_only() -> None:
    root = Root()
    assert root.modules() == [root.a, root.b]


@pytest.mark.task0_4
def test_module_children_is_modules() -> None:
    root = Root()
    assert root.children() == root.modules()


@pytest.mark.task0_4
@given(st.integers(min_value=0, max_value=20))
def test_module_add_parameter_registers_each_parameter(extra: int) -> None:
    module = Sized(extra)
    named = dict(module.named_parameters())
    assert len(named) == extra + 2  # weight, child.p3 and the extras
    for i in range(extra):
        assert named[f"extra_{i}"].value == float(i)


@pytest.mark.task0_4
def test_module_add_parameter_returns_named_parameter_reachable_as_attribute() -> None:
    module = Module()
    p = module.add_parameter("bias", 3.0)
    assert isinstance(p, Parameter)
    assert p.name == "bias"
    assert module.bias is p


@pytest.mark.task0_4
def test_module_starts_in_training_mode() -> None:
    root = Root()
    assert root.training
    assert root.b.c.training


@pytest.mark.task0_4
def test_module_eval_reaches_grandchildren() -> None:
    root = Root()
    root.eval()
    assert [root.training, root.a.training, root.b.training, root.b.c.training] == [False] * 4


@pytest.mark.task0_4
def test_module_train_reaches_grandchildren() -> None:
    root = Root()
    root.eval()
    root.train()
    assert [root.training, root.a.training, root.b.training, root.b.c.training] == [True] * 4


@pytest.mark.task0_4
def test_module_eval_on_child_leaves_parent_alone() -> None:
    root = Root()
    root.b.eval()
    assert root.training
    assert root.a.training
    assert not root.b.c.training


@pytest.mark.task0_4
@given(st.floats(min_value=-100.0, max_value=100.0))
def test_module_call_forwards_to_forward(x: float) -> None:
    assert Doubler()(x) == 2.0 * x


@pytest.mark.task0_4
def test_module_without_forward_raises_not_implemented() -> None:
    with pytest.raises(NotImplementedError, match="Root"):
        Root()(1.0)


@pytest.mark.task0_4
def test_module_repr_shows_the_tree() -> None:
    text = repr(Root())
    assert text.splitlines() == [
        "Root(",
        "  (a): Left()",
        "  (b): Middle(",
        "    (c): Leaf()",
        "  )",
        ")",
    ]


@pytest.mark.task0_4
def test_module_unknown_attribute_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match="p4"):
        _ = Root().p4


@pytest.mark.task0_4
def test_module_getattr_default_still_works() -> None:
    """``getattr(m, name, default)`` relies on AttributeError, so it must not return None."""
    assert getattr(Root(), "missing", "default") == "default"


@pytest.mark.task0_4
def test_module_reassigned_parameter_replaces_the_old_one() -> None:
    root = Root()
    root.p1 = Parameter(7.0)
    assert root.p1.value == 7.0
    assert [p.value for name, p in root.named_parameters() if name == "p1"] == [7.0]


@pytest.mark.task0_4
def test_module_parameter_replaced_by_module_is_unregistered() -> None:
    module = Module()
    module.x = Parameter(1.0)
    child = Leaf()
    module.x = child
    assert module.x is child
    assert [name for name, _ in module.named_parameters()] == ["x.p3"]


@pytest.mark.task0_4
def test_module_parameter_replaced_by_plain_value_is_unregistered() -> None:
    module = Module()
    module.x = Parameter(1.0)
    module.x = 5.0
    assert module.x == 5.0
    assert module.parameters() == []


@pytest.mark.task0_4
def test_module_subclass_without_super_init_gets_clear_error() -> None:
    class Forgetful(Module):
        def __init__(self) -> None:
            self.p = Parameter(1.0)

    with pytest.raises(AttributeError, match=r"super\(\).__init__"):
        Forgetful()


# ## Parameter


@pytest.mark.task0_4
def test_parameter_holds_value_and_name() -> None:
    p = Parameter(3.0, name="bias")
    assert (p.value, p.name) == (3.0, "bias")


@pytest.mark.task0_4
def test_parameter_update_replaces_value() -> None:
    p = Parameter(3.0)
    p.update(2.5)
    assert p.value == 2.5


@pytest.mark.task0_4
def test_parameter_names_its_scalar() -> None:
    p = Parameter(Scalar(1.0), name="w")
    assert p.value.name == "w"


@pytest.mark.task0_4
def test_parameter_update_names_the_new_scalar() -> None:
    p = Parameter(Scalar(1.0), name="w")
    p.update(Scalar(2.0))
    assert p.value.name == "w"


@pytest.mark.task0_4
def test_parameter_repr_shows_it_is_a_parameter() -> None:
    assert repr(Parameter(2.5)) == "Parameter(2.5)"
    assert str(Parameter(minitorch.Scalar(2.5), name="w")) == "Parameter(Scalar(2.5, name='w'), name='w')"


# ## Shared submodules and cycles: each module and each Parameter once, no RecursionError


def cyclic_pair() -> tuple[Module, Module]:
    a, b = Leaf(), Left()
    a.child = b
    b.parent = a
    return a, b


@pytest.mark.task0_4
def test_module_cycle_lists_each_parameter_once() -> None:
    a, _ = cyclic_pair()
    assert [name for name, _ in a.named_parameters()] == ["p3", "child.p2"]


@pytest.mark.task0_4
def test_module_cycle_train_eval_and_repr_finish() -> None:
    a, b = cyclic_pair()
    a.eval()
    assert (a.training, b.training) == (False, False)
    a.train()
    assert (a.training, b.training) == (True, True)
    assert repr(a).splitlines() == [
        "Leaf(",
        "  (child): Left(",
        "    (parent): Leaf(...)  # shown above",
        "  )",
        ")",
    ]


@pytest.mark.task0_4
def test_module_shared_submodule_and_parameter_listed_once() -> None:
    root = Module()
    shared = Leaf()
    root.first = shared
    root.second = shared
    root.w = Parameter(Scalar(1.0))
    root.alias = root.w
    assert [name for name, _ in root.named_parameters()] == ["w", "first.p3"]
    assert root.modules() == [shared]


@pytest.mark.task0_4
def test_module_deep_chain_of_modules_has_no_recursion_limit() -> None:
    root = current = Module()
    for _ in range(5000):
        current.next = Leaf()
        current = current.next
    assert len(root.parameters()) == 5000
    root.eval()
    assert not current.training
    assert repr(root).count("Leaf(") == 5000


# ## Parameter: what it holds, and the message for arithmetic on the box


@pytest.mark.task0_4
@pytest.mark.parametrize("value", ["abc", None, [1.0], True, 1 + 2j], ids=repr)
def test_parameter_rejects_non_scalar_naming_what_to_pass(value: object) -> None:
    with pytest.raises(TypeError, match=r"Parameter\(\) expects a Scalar.*Parameter\(Scalar\(x\)\)"):
        Parameter(value)


@pytest.mark.task1_2
def test_parameter_rejects_computed_scalar() -> None:
    with pytest.raises(TypeError, match="computed from other Scalars"):
        Parameter(Scalar(1.0) * 2.0)


@pytest.mark.task0_4
def test_parameter_update_rejects_string() -> None:
    p = Parameter(Scalar(1.0))
    with pytest.raises(TypeError, match=r"Parameter\.update\(\)"):
        p.update("x")


@pytest.mark.task0_4
@pytest.mark.parametrize(
    "use",
    [lambda w: w * 2.0, lambda w: 2.0 * w, lambda w: w + 1.0, lambda w: 1.0 - w, lambda w: w / 2.0,
     lambda w: w**2, lambda w: -w, lambda w: w < 1.0, lambda w: float(w)],
    ids=["mul", "rmul", "add", "rsub", "div", "pow", "neg", "lt", "float"],
)
def test_parameter_arithmetic_says_to_use_value(use: object) -> None:
    w = Parameter(Scalar(1.0), name="w")
    with pytest.raises(TypeError, match=r"Parameter 'w'.*\.value"):
        use(w)  # type: ignore[operator]


@pytest.mark.task0_4
def test_parameter_arithmetic_with_numpy_number_says_to_use_value() -> None:
    with pytest.raises(TypeError, match=r"\.value"):
        np.float64(2.0) * Parameter(Scalar(1.0))


@pytest.mark.task0_4
def test_parameter_accepts_a_tensor_like_value_and_marks_it() -> None:
    """The course's tests put a stand-in with ``requires_grad_`` in a Parameter."""

    class TensorLike:
        def __init__(self) -> None:
            self.requires_grad = False

        def requires_grad_(self, flag: bool) -> None:
            self.requires_grad = flag

    value = TensorLike()
    Parameter(value)
    assert value.requires_grad
