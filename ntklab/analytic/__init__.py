"""The analytic half of ntklab: numpy/scipy in float64, never JAX or plotly.

``data`` (targets, sample points), ``kernels`` (infinite-width NTK and NNGP), ``spectrum``
(eigenpairs, zero crossings, the frequency view), ``dynamics`` (closed-form gradient flow,
the ensemble, eq. 1.14, the default step), ``metrics`` (RMSE, fitted power laws) and
``validate`` (argument checks shared by the whole package). The public names are
re-exported by :mod:`ntklab`.
"""
