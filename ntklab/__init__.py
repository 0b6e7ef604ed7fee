"""ntklab: see why wide ReLU networks behave like linear models.

The public API, in three parts (docs/architecture.md has the layout; docs/science.md the
science, cited as §n):

* the analytic core (:mod:`ntklab.analytic`: numpy/scipy, float64): targets and sample
  points, the infinite-width kernels, spectra, closed-form dynamics, the default step;
* finite nets (:mod:`ntklab.finite`: JAX): the ReLU MLP and its tricks, the exact empirical
  NTK, gradient descent of a net beside its linearization;
* the experiments, one module per claim (:mod:`ntklab.experiments`), whose functions are
  also named here.

Only the analytic core is imported with ``import ntklab``: the finite half and the
experiments load on first use of one of their names (PEP 562), so ``import ntklab`` and
the dashboards' kernels start fast (JAX's import costs seconds).
"""

import importlib

from .analytic.conv_kernels import cnngp, cntk, cntk_and_cnngp, cntk_and_cnngp_by_depth
from .analytic.data import (
    TARGETS,
    Dataset,
    Target,
    make_dataset,
    parse_target,
    resolve_target,
    sample_points,
    target_values,
)
from .analytic.dynamics import (
    EnsembleResult,
    FlowResult,
    PriorDecomposition,
    default_lr,
    ensemble_moments,
    gradient_flow,
    prior_decomposition,
)
from .analytic.images import (
    ImageSet,
    ImageSplit,
    binary_targets,
    load_digits,
    onehot_targets,
    shifted_digits,
)
from .analytic.kernels import nngp, ntk, ntk_and_nngp
from .analytic.metrics import fit_slope, rmse
from .analytic.random_matrix import (
    marchenko_pastur_cdf,
    marchenko_pastur_pdf,
    semicircle_cdf,
    semicircle_pdf,
)
from .analytic.rnn import rnn_nngp
from .analytic.spectrum import dft, eigenpairs, frequency_error, zero_crossings

# name -> module, loaded on first use
_LAZY = {
    # finite nets (JAX)
    "PARAMETERIZATIONS": "finite.model",
    "TRICKS": "finite.model",
    "Params": "finite.model",
    "apply": "finite.model",
    "exponents": "finite.model",
    "init_params": "finite.model",
    "linearize": "finite.model",
    "empirical_ntk": "finite.empirical",
    "empirical_ntk_layers": "finite.empirical",
    "Progress": "finite.training",
    "TrainResult": "finite.training",
    "shared_lr": "finite.training",
    "train": "finite.training",
    "ImageParams": "finite.images",
    "ImageProgress": "finite.images",
    "ImageTrainResult": "finite.images",
    "image_apply": "finite.images",
    "image_linearize": "finite.images",
    "image_ntk": "finite.images",
    "init_image_params": "finite.images",
    "mlp_ntk": "finite.images",
    "train_images": "finite.images",
    "default_image_lr": "finite.images",
    "digits_run": "experiments.digits",
    "gap_vs_n": "experiments.digits",
    "gap_vs_width": "experiments.digits",
    "kernel_regression": "experiments.kernel_table",
    "kernel_table": "experiments.kernel_table",
    "load_kernel_table": "experiments.kernel_table",
    "backward_kernels": "finite.architectures",
    "init_residual": "finite.architectures",
    "init_rnn": "finite.architectures",
    "jacobian_ntk": "finite.architectures",
    "residual_apply": "finite.architectures",
    "rnn_apply": "finite.architectures",
    # experiments, by claim
    "kernel_convergence": "experiments.kernel_limit",
    "outputs_at_init": "experiments.kernel_limit",
    "spectrum_view": "experiments.spectrum",
    "frequency_at": "experiments.frequency",
    "frequency_decay_rates": "experiments.frequency",
    "frequency_finite": "experiments.frequency",
    "frequency_view": "experiments.frequency",
    "residual_decay": "experiments.frequency",
    "time_below": "experiments.frequency",
    "convergence_vs_samples": "experiments.lazy",
    "convergence_vs_width": "experiments.lazy",
    "kernel_regression_check": "experiments.lazy",
    "lazy_run": "experiments.lazy",
    "init_scale_comparison": "experiments.initialization",
    "trick_comparison": "experiments.initialization",
    "ensemble_comparison": "experiments.ensemble",
    "concentration": "experiments.regimes",
    "load_phase_diagram": "experiments.regimes",
    "phase_diagram": "experiments.regimes",
    "rd_vs_width": "experiments.regimes",
    "regime_run": "experiments.regimes",
    "relative_distance": "experiments.regimes",
    "theory_regime": "experiments.regimes",
    "gradient_independence": "experiments.architectures",
    "ntk_spread": "experiments.architectures",
    "random_matrix_laws": "experiments.architectures",
    "rnn_gp": "experiments.architectures",
    "rnn_width_error": "experiments.architectures",
    "weight_spectrum": "experiments.architectures",
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
    "PARAMETERIZATIONS",
    "TARGETS",
    "TRICKS",
    "Dataset",
    "EnsembleResult",
    "FlowResult",
    "ImageParams",
    "ImageProgress",
    "ImageSet",
    "ImageSplit",
    "ImageTrainResult",
    "Params",
    "PriorDecomposition",
    "Progress",
    "Target",
    "TrainResult",
    "apply",
    "backward_kernels",
    "binary_targets",
    "cnngp",
    "cntk",
    "cntk_and_cnngp",
    "cntk_and_cnngp_by_depth",
    "concentration",
    "convergence_vs_samples",
    "convergence_vs_width",
    "default_image_lr",
    "default_lr",
    "dft",
    "digits_run",
    "eigenpairs",
    "empirical_ntk",
    "empirical_ntk_layers",
    "ensemble_comparison",
    "ensemble_moments",
    "exponents",
    "fit_slope",
    "frequency_at",
    "frequency_decay_rates",
    "frequency_error",
    "frequency_finite",
    "frequency_view",
    "gap_vs_n",
    "gap_vs_width",
    "gradient_flow",
    "gradient_independence",
    "image_apply",
    "image_linearize",
    "image_ntk",
    "init_image_params",
    "init_params",
    "init_residual",
    "init_rnn",
    "init_scale_comparison",
    "jacobian_ntk",
    "kernel_convergence",
    "kernel_regression",
    "kernel_regression_check",
    "kernel_table",
    "lazy_run",
    "linearize",
    "load_digits",
    "load_kernel_table",
    "load_phase_diagram",
    "make_dataset",
    "marchenko_pastur_cdf",
    "marchenko_pastur_pdf",
    "mlp_ntk",
    "nngp",
    "ntk",
    "ntk_and_nngp",
    "ntk_spread",
    "onehot_targets",
    "outputs_at_init",
    "parse_target",
    "phase_diagram",
    "prior_decomposition",
    "random_matrix_laws",
    "rd_vs_width",
    "regime_run",
    "relative_distance",
    "residual_apply",
    "residual_decay",
    "resolve_target",
    "rmse",
    "rnn_apply",
    "rnn_gp",
    "rnn_nngp",
    "rnn_width_error",
    "sample_points",
    "semicircle_cdf",
    "semicircle_pdf",
    "shared_lr",
    "shifted_digits",
    "spectrum_view",
    "target_values",
    "theory_regime",
    "time_below",
    "train",
    "train_images",
    "trick_comparison",
    "weight_spectrum",
    "zero_crossings",
]
__version__ = "0.1.0"
