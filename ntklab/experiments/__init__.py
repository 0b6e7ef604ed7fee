"""The experiments of ntklab, one module per claim (docs/science.md §3):

* :mod:`~ntklab.experiments.kernel_limit`: the NTK at init tends to its formula; outputs at
  init are Gaussian (notebook 01);
* :mod:`~ntklab.experiments.spectrum`: eigenvectors of K, zero crossings (Fig. 1.1);
* :mod:`~ntklab.experiments.frequency`: e^{−λ_i t} decay, the frequency principle;
* :mod:`~ntklab.experiments.lazy`: wide nets train like their linearization;
* :mod:`~ntklab.experiments.initialization`: eq. 1.14, ASI and doubling (Fig. 1.4), large
  and small init (Fig. 1.2);
* :mod:`~ntklab.experiments.ensemble`: the NNGP prior and the trained ensemble.

Each module has one function per question, sized by its arguments (a dashboard, a
notebook and ``ntklab figures`` ask the same function at different sizes), returns frozen
dataclasses of numpy arrays, and has ``summary(result)``: the measured numbers that
notebooks print and ``ntklab figures`` writes beside each figure. Shared helpers are in
:mod:`~ntklab.experiments.common`. Nothing here imports plotly; JAX is imported by the
functions that train, on their first call.
"""
