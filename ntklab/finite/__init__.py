"""The finite-width half of ntklab, in JAX: ``model`` (the ReLU MLP, its initialization
tricks, forward pass and linearization), ``empirical`` (the exact finite-width NTK) and
``training`` (full-batch gradient descent of a net beside its linearization).

Importing it imports JAX and switches on JAX's float64 mode; :mod:`ntklab` loads these
names on first use only. The public names are re-exported by :mod:`ntklab`.
"""
