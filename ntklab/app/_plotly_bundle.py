"""Load plotly's widget JavaScript once per page, by URL, instead of inlined per figure.

Why: plotly's ``FigureWidget`` is an anywidget whose ``_esm`` is the whole plotly.js
bundle (``plotly/package_data/widgetbundle.js``, ~5 MB). By default every FigureWidget
sends it inline in its widget state, and the browser imports each copy from its own blob
URL: a dashboard with three figures ships ~15 MB of JSON per page open and parses plotly.js
three times. anywidget (0.11) gives a model 2 s to import its ESM and run ``initialize``
(``AbortSignal.timeout(2000)`` in its ``Runtime``); past that the model's ``ready`` promise
is rejected for good — the page reports "[anywidget] Failed to initialize model." and every
later update message to that figure is dropped (``_handle_comm_msg`` awaits ``ready``), so
the plot never changes. A loaded server or a slow student laptop crosses 2 s easily.

The fix: when ``ntklab app`` serves the dashboards it exposes plotly's own
``package_data`` folder as an extra Voila labextension path and sets
:data:`ENV` in the server's (and so every kernel's) environment. Figures then carry a
~2 kB stub ESM that imports the bundle from that URL: the browser fetches it once (HTTP
cache), parses it once per page (one ES module per URL), and the three figures share it.
The stub's ``initialize`` returns at once (so anywidget's 2 s window cannot expire while
plotly.js loads): it records every figure change arriving before plotly's model exists and
replays them, in order, into plotly's model once the bundle has loaded; ``render`` waits
for that. Loading the bundle by URL alone was not enough: with four to eight pages opening
at once on the loaded 2-core machine the single import still overran 2 s.
The bundle served is the installed plotly's own file, so the Python and JavaScript sides
always match. Outside ``ntklab app`` (JupyterLab, Voila as a server extension) nothing
changes: plotly's inline bundle is used.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
from pathlib import Path

__all__ = ["ENV", "URL_PATH", "bundle_dir", "import_graph_objects", "stub_esm"]

ENV = "NTKLAB_PLOTLY_BUNDLE"  # value: the bundle's URL path below the server's base URL
URL_PATH = "voila/labextensions/widgetbundle.js"


def bundle_dir() -> Path:
    """plotly's ``package_data`` folder (found without importing plotly)."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("plotly is not installed")
    folder = Path(next(iter(spec.submodule_search_locations))) / "package_data"
    if not (folder / "widgetbundle.js").is_file():
        raise RuntimeError(f"plotly's widgetbundle.js is missing from {folder}")
    return folder


_STUB = r"""// ntklab: plotly's widget bundle, once per page by URL (ntklab/app/_plotly_bundle.py)
const cfg = document.getElementById("jupyter-config-data");
let base = "/";
try { base = (cfg && JSON.parse(cfg.textContent).baseUrl) || "/"; } catch (e) {}
if (!base.endsWith("/")) base += "/";
// started now, not awaited: anywidget's 2 s initialize window never waits for plotly.js
const bundle = import(new URL(base + PATH, location.href).href);
const KEYS = ["_widget_data", "_widget_layout", "_py2js_addTraces", "_py2js_deleteTraces",
  "_py2js_moveTraces", "_py2js_restyle", "_py2js_relayout", "_py2js_update",
  "_py2js_animate", "_py2js_removeLayoutProps", "_py2js_removeTraceProps"];

export default () => {
  let inner = null, ready = null;
  return {
    initialize(ctx) {
      const model = ctx.model;
      // record every figure change that arrives before plotly's model exists ...
      const queue = [];
      const recorders = KEYS.map((k) => {
        const cb = () => queue.push([k, model.get(k)]);
        model.on("change:" + k, cb);
        return [k, cb];
      });
      ready = bundle.then((mod) => {
        inner = mod.default();
        const handlers = {}, override = new Map();
        const proxy = Object.create(model);
        proxy.get = (k) => (override.has(k) ? override.get(k) : model.get(k));
        proxy.on = (event, cb) => {
          (handlers[event] = handlers[event] || []).push(cb);
          model.on(event, cb);
        };
        inner.initialize({ ...ctx, model: proxy });
        for (const [k, cb] of recorders) model.off("change:" + k, cb);
        // ... and replay it in order, each handler seeing the value of its time
        for (const [k, v] of queue) {
          override.set(k, v);
          for (const cb of handlers["change:" + k] || []) cb();
          override.delete(k);
        }
      });
      ready.catch((e) => console.error("[ntklab] could not load plotly.js", e));
    },
    async render(ctx) {
      await ready;
      return inner.render(ctx);
    },
  };
};
"""


def stub_esm(environ=None) -> str | None:
    """The stub ESM when :data:`ENV` is set (``ntklab app``), else None."""
    path = (os.environ if environ is None else environ).get(ENV, "")
    if not path:
        return None
    version = importlib.metadata.version("plotly")
    url = f"{path.lstrip('/')}?v={version}"
    return _STUB.replace("PATH", json.dumps(url))


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
