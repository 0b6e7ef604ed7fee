"""Run benchmarks by name: ``python -m benchmarks [core] [finite] [browser] [kernel] [load]
[eigenpairs] [cntk] [regimes]``.

Without names it runs the fast ones (core, finite). Each writes JSON to stdout and to
``benchmarks/results/<name>.json``; every figure stands beside its limit and a reference
measured in the same run. Run them on a quiet machine: they measure wall time.
"""

import importlib.util
import subprocess
import sys

ALL = ("core", "finite", "browser", "kernel", "load", "eigenpairs", "cntk", "regimes")
DEFAULT = ("core", "finite")


def main(argv=None) -> int:
    names = list(argv if argv is not None else sys.argv[1:]) or list(DEFAULT)
    unknown = [n for n in names if n not in ALL]
    if unknown:
        print(f"unknown benchmark(s) {unknown}; choose from {ALL}", file=sys.stderr)
        return 2
    failed = 0
    for name in names:
        print(f"== benchmark {name} ==", flush=True)
        importlib.util.find_spec(f"benchmarks.bench_{name}")  # fail early on a typo'd module
        # each in its own process: JAX, Voila and browsers leave no state for the next one
        failed |= subprocess.run([sys.executable, "-m", f"benchmarks.bench_{name}"]).returncode
    return failed


if __name__ == "__main__":
    sys.exit(main())
