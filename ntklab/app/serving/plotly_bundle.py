"""The dashboards' figures in the browser: a small plotly.js bundle, once per page.

Why: plotly's ``FigureWidget`` is an anywidget whose ``_esm`` is plotly's widget bundle
(``plotly/package_data/widgetbundle.js``, 5 MB: all of plotly.js, maps and 3-D included).
Fetching and evaluating it took 1.7-2.7 s on this 2-core host, most of the 3 s budget for
opening a dashboard. The dashboards draw only scatter and heatmap traces
(:data:`BUNDLE_TRACES`; a test checks every dashboard figure), so they load a plotly.js
built with just those: ``static/plotly-ntklab.min.js``, 1.1 MB, MIT licence, built from
the npm package ``plotly.js`` by ``tools/plotly-bundle`` (core + heatmap, as plotly.js
builds its own dist bundles). Importing it in a blank page takes 0.42 s against 0.95 s for
plotly.js's official cartesian bundle (1.5 MB, which adds bar, box, histogram, contour,
violin, pie, image, ternary) and 2.7 s for the widget bundle (same run, this host; see
``benchmarks/bench_browser.py``, page open, ``reference``).

Under ``ntklab app`` (:data:`ENV` set in the server's, and so every kernel's, environment):

* ``static/plotly-ntklab.min.js`` (built from plotly.js :data:`PLOTLY_JS_VERSION`, the
  plotly.js that the supported plotly.py bundles) is served by Voila as an extra
  labextension path, at :data:`URL_PATH` below the base URL: the browser fetches it once
  (HTTP cache) and evaluates it once per page (one ES module per URL);
* each figure's ``_esm`` is ``static/figure.js`` (:func:`front_end_esm`, ~6 kB, ours):
  it implements the browser half of plotly's widget protocol (the synced
  ``_widget_data``/``_widget_layout``/``_config`` state and the ``_py2js_*`` messages, each
  applied with the plotly.js function of the same name) on that bundle. Its
  ``initialize`` returns at once and only views wait for plotly.js: anywidget (0.11) gives
  a model 2 s to import its ESM and initialize, after which every update to that figure
  is dropped ("[anywidget] Failed to initialize model.").

Outside ``ntklab app`` (JupyterLab, notebooks, Voila as a server extension) nothing
changes: plotly's own front end and inline bundle are used.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path

__all__ = ["BUNDLE", "BUNDLE_TRACES", "ENV", "PLOTLY_JS_VERSION", "URL_PATH", "bundle_dir",
           "front_end_esm", "import_graph_objects", "plotly_js_version"]

ENV = "NTKLAB_PLOTLY_BUNDLE"  # value: the bundle's URL path below the server's base URL
BUNDLE = "plotly-ntklab.min.js"  # built by tools/plotly-bundle
URL_PATH = f"voila/labextensions/{BUNDLE}"
PLOTLY_JS_VERSION = "4.1.1"  # of static/plotly-ntklab.min.js; a test reads its header
BUNDLE_TRACES = frozenset({"scatter", "heatmap"})  # the trace types the bundle can draw


def bundle_dir() -> Path:
    """The folder served at ``<base>/voila/labextensions/``: the bundle and its licence."""
    return Path(__file__).resolve().parent / "static"


def plotly_js_version(path: Path) -> str:
    """The version a plotly.js file names in its header comment."""
    with open(path, encoding="utf-8") as f:
        head = f.read(300)
    match = re.search(r"plotly\.js(?: \([^)]*\))? v(\d+\.\d+\.\d+)", head)
    if match is None:
        raise ValueError(f"no plotly.js version in the header of {path}")
    return match.group(1)


@cache
def _front_end_source() -> str:
    return (bundle_dir() / "figure.js").read_text(encoding="utf-8")


def front_end_esm(environ=None) -> str | None:
    """The figures' ESM when :data:`ENV` is set (``ntklab app``), else None."""
    path = (os.environ if environ is None else environ).get(ENV, "")
    if not path:
        return None
    url = f"{path.lstrip('/')}?v={PLOTLY_JS_VERSION}"
    source = _front_end_source()
    placeholder = 'const BUNDLE = "PATH";'
    if placeholder not in source:
        raise RuntimeError("static/figure.js lost its bundle placeholder")
    return source.replace(placeholder, f"const BUNDLE = {json.dumps(url)};")


def import_graph_objects():
    """``plotly.graph_objects``, imported with ``FigureWidget`` ready, without the ~2-10 s
    detour plotly takes through nbformat → jsonschema → ``rfc3987_syntax``.

    ``plotly.io._renderers`` imports nbformat (only to check its version before a
    ``fig.show()`` in a notebook), nbformat imports jsonschema, and jsonschema's format
    checkers import ``rfc3987_syntax`` when it is installed (jupyter-events installs it),
    which builds a lark grammar at import: 2.4 s on a quiet core, 8-17 s on this loaded
    machine. Dashboard kernels never validate IRIs, so the import is blocked while plotly
    loads (a ``None`` entry in ``sys.modules`` makes the optional import fail cleanly) and
    unblocked right after; the only effect is that jsonschema in this kernel does not
    check the "iri" / "iri-reference" formats.
    """
    import sys

    blocked = "rfc3987_syntax" not in sys.modules and "jsonschema._format" not in sys.modules
    if blocked:
        sys.modules["rfc3987_syntax"] = None
    try:
        import plotly.graph_objects as go

        go.FigureWidget  # noqa: B018  (lazy attribute: imports plotly.basewidget now)
    finally:
        if blocked and sys.modules.get("rfc3987_syntax", 0) is None:
            del sys.modules["rfc3987_syntax"]
    return go
