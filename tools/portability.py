"""Re-run every notebook with nbval under other floating-point kernels.

    python tools/portability.py                       # all three configurations
    python tools/portability.py book/07_adam.ipynb    # just some notebooks
    python tools/portability.py --config prescott     # just one configuration

A committed output must be reproduced whatever kernels NumPy and OpenBLAS pick
on the reader's CPU: AVX-512, AVX2 or plain SSE loops give results that differ
in the last bits. Each configuration runs nbval (not lax, with the project's
sanitize file) in its own process with the environment below; OpenBLAS and
NumPy read these variables when they load, so nothing else needs to change.

    native    this machine as it is
    haswell   OpenBLAS's Haswell kernels, NumPy's AVX-512 loops off
    prescott  OpenBLAS's generic SSE3 kernels, NumPy's baseline loops only

The configurations run one after another, each on all cores (pytest-xdist).
The command exits with 0 when every configuration passes, else 1, and prints
one line per configuration with the failing cells.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = {
    "native": {},
    "haswell": {"OPENBLAS_CORETYPE": "Haswell", "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR"},
    "prescott": {"OPENBLAS_CORETYPE": "Prescott",
                 "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR"},
}


def run(config: str, notebooks: list[str]) -> tuple[bool, list[str], float]:
    """nbval over ``notebooks`` under one configuration: (passed, failing cells, seconds)."""
    env = {**os.environ, **CONFIGS[config]}
    command = [sys.executable, "-m", "pytest", "-q", "-o", "testpaths=book", "--no-header",
               "-W", "ignore::pytest.PytestUnraisableExceptionWarning", *notebooks]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    failed = sorted(set(re.findall(r"^FAILED (.+?)(?: - |$)", result.stdout, flags=re.MULTILINE)))
    if result.returncode != 0 and not failed:  # not a cell mismatch: show what went wrong
        failed = [line for line in (result.stdout + result.stderr).splitlines()[-15:] if line.strip()]
    return result.returncode == 0, failed, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", help="notebooks to check (default: every notebook under book/)")
    parser.add_argument("--config", action="append", choices=list(CONFIGS),
                        help="a configuration to run; repeat for several (default: all)")
    args = parser.parse_args()
    ok = True
    for config in args.config or list(CONFIGS):
        passed, failed, seconds = run(config, args.notebooks or ["book"])
        ok &= passed
        print(f"{config:9} {'passed' if passed else 'FAILED'} in {seconds:.0f} s", flush=True)
        for line in failed:
            print(f"          {line}", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
