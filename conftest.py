"""Repository-wide pytest setup, loaded before anything is collected (so before numba is imported).

- Without an NVIDIA driver, the CUDA tests run on numba's CUDA simulator: ``NUMBA_ENABLE_CUDASIM=1``
  is set here unless the environment already says otherwise (numba reads it once, on import).
- Without numba (the optional ``fast``/``cuda`` extras), the numba backends' modules are left out of
  the doctest collection, and their tests skip.
"""

import importlib.util
import os

if "NUMBA_ENABLE_CUDASIM" not in os.environ and not os.path.exists("/dev/nvidiactl"):
    os.environ["NUMBA_ENABLE_CUDASIM"] = "1"

collect_ignore = []
if importlib.util.find_spec("numba") is None:
    collect_ignore += ["minitorch/fast_ops.py", "minitorch/cuda_ops.py", "minitorch/kernel_cache.py"]
