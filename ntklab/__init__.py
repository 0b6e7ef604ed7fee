"""ntklab: see why wide ReLU networks behave like linear models.

The analytic core works in float64 numpy. Public names are re-exported here; everything
else is private. See README.md for a glossary of symbols (m, s, λ, t, ...).
"""

from .data import (
    FUNCTIONS,
    TARGETS,
    Dataset,
    Target,
    make_dataset,
    parse_target,
    sample_points,
    target_values,
)
from .dynamics import (
    EnsembleResult,
    FlowResult,
    PriorDecomposition,
    ensemble_moments,
    gradient_flow,
    prior_decomposition,
)
from .kernels import nngp, ntk, ntk_and_nngp
from .spectrum import dft, eigenpairs, frequency_error, zero_crossings

__all__ = [
    "FUNCTIONS",
    "TARGETS",
    "Dataset",
    "EnsembleResult",
    "FlowResult",
    "PriorDecomposition",
    "Target",
    "dft",
    "eigenpairs",
    "ensemble_moments",
    "frequency_error",
    "gradient_flow",
    "make_dataset",
    "nngp",
    "ntk",
    "ntk_and_nngp",
    "parse_target",
    "prior_decomposition",
    "sample_points",
    "target_values",
    "zero_crossings",
]
__version__ = "0.1.0"
