"""The sizes of a full run and of a ``--quick`` smoke run."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FULL", "QUICK", "Config", "TensorSizes"]


@dataclass(frozen=True)
class TensorSizes:
    """The sizes of the tensor workloads.

    Attributes:
        repeats: timed rounds per workload and GC mode (after one warm-up round); a run takes
            milliseconds, so more rounds than the scalar workloads' cost little.
        mlp_sizes: the MLP's layer widths (input, hidden, output).
        mlp_batch: the MLP's batch.
        broadcast: ``(n, m, k)``: ``a`` is (n, 1, k), ``b`` is (1, m, k).
        tiny_steps: steps of the (2, 2) chain (three operations each) for the per-op overhead.
        simple: ``(n, m, k)`` of the broadcast workload run on ``SimpleBackend`` (pure Python).
    """

    repeats: int
    mlp_sizes: tuple[int, int, int]
    mlp_batch: int
    broadcast: tuple[int, int, int]
    tiny_steps: int
    simple: tuple[int, int, int]


@dataclass(frozen=True)
class Config:
    """How big each workload is and how often it is repeated.

    Attributes:
        name: ``"full"`` or ``"quick"``.
        repeats: timed rounds per workload and GC mode (after one warm-up round).
        relu_steps: the sizes N of workload (a), the relu chain (also the scaling plot's x-axis).
        table_steps: the two sizes of (a) and (b) shown in the table (small, large); the targets
            compare per-op time at the large size against the small one.
        dag_nodes: the number of combining nodes of the random DAG (c).
        mlp_points: the batch of the MLP training step (d).
        chain_1m_ops: the length of the long minitorch chain, in operations.
        chain_1m_repeats: how often the long chain is timed per GC mode.
        probe_steps: the relu chain size used to count GC-tracked objects and graph memory.
        rss_steps: the relu chain size used for the (rough) resident-memory growth per operation.
        tensor: the sizes of the tensor workloads.
    """

    name: str
    repeats: int
    relu_steps: tuple[int, ...]
    table_steps: tuple[int, int]
    dag_nodes: int
    mlp_points: int
    chain_1m_ops: int
    chain_1m_repeats: int
    probe_steps: int
    rss_steps: int
    tensor: TensorSizes

    def __post_init__(self) -> None:
        if not set(self.table_steps) <= set(self.relu_steps):
            raise ValueError(
                f"Config {self.name}: table_steps {self.table_steps} must be among relu_steps "
                f"{self.relu_steps} (the scaling ratio compares two measured sizes)"
            )
        if self.repeats < 1:
            raise ValueError(f"Config {self.name}: repeats must be at least 1, got {self.repeats}")

    @property
    def sigmoid_steps(self) -> tuple[int, int]:
        """The sizes of workload (b), the sigmoid chain: the same as the table's."""
        return self.table_steps


FULL = Config(
    name="full",
    repeats=5,
    relu_steps=(1_000, 3_000, 10_000, 100_000),
    table_steps=(10_000, 100_000),
    dag_nodes=100_000,
    mlp_points=100,
    chain_1m_ops=1_000_000,
    chain_1m_repeats=3,
    probe_steps=10_000,
    rss_steps=100_000,
    tensor=TensorSizes(
        repeats=15,
        mlp_sizes=(784, 256, 10),
        mlp_batch=256,
        broadcast=(256, 128, 64),
        tiny_steps=1_000,
        simple=(16, 16, 8),
    ),
)

QUICK = Config(
    name="quick",
    repeats=2,
    relu_steps=(100, 300, 1_000, 3_000),
    table_steps=(300, 3_000),
    dag_nodes=3_000,
    mlp_points=5,
    chain_1m_ops=30_000,
    chain_1m_repeats=1,
    probe_steps=300,
    rss_steps=3_000,
    tensor=TensorSizes(
        repeats=2,
        mlp_sizes=(784, 32, 10),
        mlp_batch=16,
        broadcast=(16, 8, 8),
        tiny_steps=30,
        simple=(4, 4, 4),
    ),
)
