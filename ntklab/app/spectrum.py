"""Spectrum dashboard: eigenvalues, eigenvectors and zero crossings of the NTK Gram matrix
(Fig. 1.1 of Xu's lecture notes). Wiring only:
:func:`ntklab.experiments.spectrum.spectrum_view` computes, :mod:`ntklab.figures.spectrum`
draws."""

from __future__ import annotations

from ..experiments.spectrum import SPECTRUM_MAX_N, TOP_K, claims, spectrum_view
from ..figures import spectrum as figures
from .controls import Param
from .dashboard import Dashboard

__all__ = ["SpectrumDashboard"]


class SpectrumDashboard(Dashboard):
    """n, sampling (grid / random + seed), depth L, init scale s and the eigenvectors shown.

    URL names: ``n``, ``kind``, ``seed``, ``depth``, ``s``, ``vecs`` (e.g. ``vecs=1,2,10``),
    ``lang``. Above n = 600 only the top 40 eigenpairs are computed, so n = 3000 stays
    interactive.
    """

    TITLE, INTRO = "spectrum.title", "spectrum.intro"
    PARAMS = (
        Param("n", 500, "int", "spectrum.n", lo=50, hi=SPECTRUM_MAX_N, step=10),
        Param("kind", "grid", "choice", "spectrum.kind", choices=("grid", "random"),
              choice_labels=("spectrum.kind.grid", "spectrum.kind.random"), widget="toggle"),
        Param("seed", 0, "int", "spectrum.seed", lo=0, hi=99_999, widget="int_text"),
        Param("depth", 1, "int", "spectrum.depth", lo=1, hi=5),
        Param("s", 1.0, "float", "spectrum.s", lo=0.1, hi=10.0, widget="log_slider"),
        Param("vecs", (1, 2, 3, 4), "ints", "spectrum.vecs", lo=1, hi=TOP_K, widget="ints"),
    )
    FIGURES = (
        ("vectors", "spectrum.vectors.caption"),
        ("decay", "spectrum.decay.caption"),
        ("crossings", "spectrum.crossings.caption"),
    )

    _previous = None  # the view computed last: the next one starts its solver from it

    def compute(self, values, token):
        token.progress(0.1, self.tr("spectrum.working"))
        view = spectrum_view(values["n"], kind=values["kind"], seed=values["seed"],
                             depth=values["depth"], init_scale=values["s"],
                             previous=self._previous)
        self._previous = view
        return view

    def claims(self, view, values):
        # the eigenvectors the vectors plot draws: those computed, at most its 6 traces
        k = view.lam.shape[0]
        return claims(view, shown=[i for i in values["vecs"] if i <= k][:6])

    def build_figures(self, view, values):
        k, n = view.lam.shape[0], view.x.shape[0]
        decay_title = self.tr("spectrum.decay.title")
        if k < n:
            decay_title += f" · λ_1…λ_{k} (n = {n})"
        vecs = [i for i in values["vecs"] if i <= k]
        return {
            "decay": figures.eigenvalue_decay_fig(view.lam, labels={
                "title": decay_title, "x": self.tr("spectrum.decay.x")}),
            "vectors": figures.eigenvectors_fig(view.x, view.V, vecs, labels={
                "title": self.tr("spectrum.vectors.title")}),
            "crossings": figures.zero_crossings_fig(view.crossings, highlight=vecs, labels={
                "title": self.tr("spectrum.crossings.title"),
                "x": self.tr("spectrum.crossings.x"), "y": self.tr("spectrum.crossings.y"),
                "count": self.tr("spectrum.crossings.count"),
                "shown": self.tr("spectrum.crossings.shown")}),
        }
