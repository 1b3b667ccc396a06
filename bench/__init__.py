"""Benchmarks of minitorch's scalar engine against micrograd, PyTorch 0-d tensors, HIPS autograd
and plain Python floats.

Run ``python -m bench`` (``--quick`` for a smoke run); see ``bench/README.md`` for how to read it.
Nothing here is imported by the library.
"""
