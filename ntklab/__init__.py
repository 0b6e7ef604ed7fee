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
from .empirical import empirical_ntk, empirical_ntk_layers
from .kernels import nngp, ntk, ntk_and_nngp
from .model import TRICKS, Params, apply, init_params, linearize
from .reproduce import (
    DecayRates,
    EnsembleComparison,
    FrequencyErrors,
    InitComparison,
    KernelConvergence,
    KernelRegression,
    Linearization,
    OutputsAtInit,
    ResidualDecay,
    SampleScaling,
    SpectrumFigure,
    TrickComparison,
    ensemble_comparison,
    fit_slope,
    frequency_decay_rates,
    frequency_errors,
    init_scale_comparison,
    kernel_convergence,
    kernel_regression_check,
    linearization_vs_width,
    outputs_at_init,
    residual_decay,
    rmse_vs_samples,
    spectrum_figure,
    time_below,
    trick_comparison,
)
from .spectrum import dft, eigenpairs, frequency_error, zero_crossings
from .train import Progress, TrainResult, bucket_size, train

__all__ = [
    "FUNCTIONS",
    "TARGETS",
    "TRICKS",
    "Dataset",
    "EnsembleResult",
    "FlowResult",
    "Params",
    "PriorDecomposition",
    "Progress",
    "Target",
    "TrainResult",
    "apply",
    "bucket_size",
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
    "SampleScaling",
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
    "rmse_vs_samples",
    "spectrum_figure",
    "time_below",
    "trick_comparison",
]
__version__ = "0.1.0"
