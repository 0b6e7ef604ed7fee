"""ntklab: see why wide ReLU networks behave like linear models.

The analytic core works in float64 numpy; the finite-width half (model, empirical,
train, lazy, reproduce) uses JAX and is imported on first use of one of its names.
Public names are re-exported here; everything else is private. See README.md for a
glossary of symbols (m, s, λ, t, ...).
"""

import importlib

from .analytic.data import (
    FUNCTIONS,
    TARGETS,
    Dataset,
    Target,
    make_dataset,
    parse_target,
    sample_points,
    target_values,
)
from .analytic.dynamics import (
    EnsembleResult,
    FlowResult,
    PriorDecomposition,
    ensemble_moments,
    gradient_flow,
    prior_decomposition,
)
from .analytic.kernels import nngp, ntk, ntk_and_nngp
from .analytic.spectrum import dft, eigenpairs, frequency_error, zero_crossings

# The finite-width half needs JAX, whose import costs seconds: its names load on first
# use (PEP 562), so `import ntklab` and the dashboards' kernels start fast.
_LAZY = {  # name -> module (train lives in training.py so that the module never
    # shadows the function `ntklab.train` once imported)
    "empirical_ntk": "finite.empirical",
    "empirical_ntk_layers": "finite.empirical",
    "ASIResult": "lazy",
    "BesideLimit": "lazy",
    "SampleConvergence": "lazy",
    "WidthConvergence": "lazy",
    "asi_experiment": "lazy",
    "convergence_vs_samples": "lazy",
    "convergence_vs_width": "lazy",
    "train_beside_limit": "lazy",
    "TRICKS": "finite.model",
    "Params": "finite.model",
    "apply": "finite.model",
    "init_params": "finite.model",
    "linearize": "finite.model",
    "DecayRates": "reproduce",
    "EnsembleComparison": "reproduce",
    "FrequencyErrors": "reproduce",
    "InitComparison": "reproduce",
    "KernelConvergence": "reproduce",
    "KernelRegression": "reproduce",
    "Linearization": "reproduce",
    "OutputsAtInit": "reproduce",
    "ResidualDecay": "reproduce",
    "SpectrumFigure": "reproduce",
    "TrickComparison": "reproduce",
    "ensemble_comparison": "reproduce",
    "fit_slope": "reproduce",
    "frequency_decay_rates": "reproduce",
    "frequency_errors": "reproduce",
    "init_scale_comparison": "reproduce",
    "kernel_convergence": "reproduce",
    "kernel_regression_check": "reproduce",
    "linearization_vs_width": "reproduce",
    "outputs_at_init": "reproduce",
    "residual_decay": "reproduce",
    "spectrum_figure": "reproduce",
    "time_below": "reproduce",
    "trick_comparison": "reproduce",
    "Progress": "finite.training",
    "TrainResult": "finite.training",
    "bucket_size": "finite.training",
    "train": "finite.training",
}


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ntklab' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "FUNCTIONS",
    "TARGETS",
    "TRICKS",
    "ASIResult",
    "BesideLimit",
    "Dataset",
    "EnsembleResult",
    "FlowResult",
    "Params",
    "PriorDecomposition",
    "Progress",
    "SampleConvergence",
    "Target",
    "TrainResult",
    "WidthConvergence",
    "apply",
    "asi_experiment",
    "bucket_size",
    "convergence_vs_samples",
    "convergence_vs_width",
    "dft",
    "eigenpairs",
    "empirical_ntk",
    "empirical_ntk_layers",
    "ensemble_moments",
    "frequency_error",
    "gradient_flow",
    "init_params",
    "linearize",
    "make_dataset",
    "nngp",
    "ntk",
    "ntk_and_nngp",
    "parse_target",
    "prior_decomposition",
    "sample_points",
    "target_values",
    "train",
    "train_beside_limit",
    "zero_crossings",
]
# seed-figure experiments behind the notebooks (issue 5)
__all__ += [
    "DecayRates",
    "EnsembleComparison",
    "FrequencyErrors",
    "InitComparison",
    "KernelConvergence",
    "KernelRegression",
    "Linearization",
    "OutputsAtInit",
    "ResidualDecay",
    "SpectrumFigure",
    "TrickComparison",
    "ensemble_comparison",
    "fit_slope",
    "frequency_decay_rates",
    "frequency_errors",
    "init_scale_comparison",
    "kernel_convergence",
    "kernel_regression_check",
    "linearization_vs_width",
    "outputs_at_init",
    "residual_decay",
    "spectrum_figure",
    "time_below",
    "trick_comparison",
]
__version__ = "0.1.0"
