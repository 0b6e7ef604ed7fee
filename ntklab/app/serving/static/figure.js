// ntklab: the browser side of plotly's FigureWidget, drawn with ntklab's plotly.js bundle
// (core + heatmap, 1.1 MB; tools/plotly-bundle) instead of plotly's widget bundle (full
// plotly.js, 5 MB). Loaded as the widget's anywidget ESM under `ntklab app`; see
// ntklab/app/serving/plotly_bundle.py for why and for what the Python side sends.
//
// The Python side (plotly.basewidget.BaseFigureWidget) syncs `_widget_data`,
// `_widget_layout` and `_config` when a page asks for the widget's state, and sends every
// later change as a message trait, `_py2js_<method>`: one dict, then None. Each message
// is applied with the plotly.js function of the same name, to every view of the figure.
// Nothing is sent back: the dashboards never read the browser's zoom or selection.

window.PlotlyConfig = { MathJaxConfig: "local" };

const BUNDLE = "PATH"; // replaced by the Python side: the bundle's path below the base URL

function baseUrl() {
  const cfg = document.getElementById("jupyter-config-data");
  let base = "/";
  try {
    base = (cfg && JSON.parse(cfg.textContent).baseUrl) || "/";
  } catch (e) {
    // no Jupyter config on this page: serve from the site root
  }
  return base.endsWith("/") ? base : base + "/";
}

// Started at once, awaited only by views: anywidget gives `initialize` 2 s, and the
// bundle may take longer on a loaded machine. One URL, so one evaluation per page.
const plotlyReady = import(new URL(baseUrl() + BUNDLE, location.href).href).then(
  () => window.Plotly,
);

const TYPED = {
  float64: Float64Array, float32: Float32Array,
  int32: Int32Array, int16: Int16Array, int8: Int8Array,
  uint32: Uint32Array, uint16: Uint16Array, uint8: Uint8Array,
};

// plotly.py's serializer: 1-D numeric numpy arrays arrive as {buffer, dtype, shape}
// (the buffer as a DataView), plotly's Undefined as "_undefined_".
function decode(value) {
  if (value === "_undefined_") return undefined;
  if (Array.isArray(value)) return value.map(decode);
  if (value && typeof value === "object") {
    if (ArrayBuffer.isView(value)) return value;
    if (value.buffer instanceof DataView && TYPED[value.dtype]) {
      const view = value.buffer; // copied: the view's offset need not be aligned
      const bytes = view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength);
      return new TYPED[value.dtype](bytes);
    }
    const out = {};
    for (const key of Object.keys(value)) out[key] = decode(value[key]);
    return out;
  }
  return value;
}

// message trait -> how to apply it to a plotted div
const APPLY = {
  _py2js_update: (P, gd, m) => P.update(gd, m.style_data || {}, m.layout_data || {},
    m.style_traces ?? undefined),
  _py2js_restyle: (P, gd, m) => P.restyle(gd, m.restyle_data, m.restyle_traces ?? undefined),
  _py2js_relayout: (P, gd, m) => P.relayout(gd, m.relayout_data),
  _py2js_addTraces: (P, gd, m) => P.addTraces(gd, m.trace_data),
  _py2js_deleteTraces: (P, gd, m) => P.deleteTraces(gd, m.delete_inds),
  _py2js_moveTraces: (P, gd, m) => P.moveTraces(gd, m.current_trace_inds, m.new_trace_inds),
};
APPLY._py2js_animate = APPLY._py2js_update; // drawn at once, without the transition
// (_py2js_removeLayoutProps / _py2js_removeTraceProps answer deltas sent from the
// browser, which this front end never sends.)

function copyFigure(gd) {
  return { data: structuredClone(gd.data), layout: structuredClone(gd.layout) };
}

export default () => {
  let model = null;
  const views = new Set(); // plotted divs, each with its own chain of plotly calls
  let pending = []; // messages that arrived while nothing was plotted ...
  let snapshot = null; // ... on top of this figure (or the synced state if null)

  function receive(key) {
    const message = model.get(key);
    if (!message) return; // the None that follows every message
    const decoded = decode(message);
    if (views.size === 0) {
      pending.push([key, decoded]);
      return;
    }
    for (const gd of views) run(gd, (P) => APPLY[key](P, gd, decoded));
  }

  function run(gd, step) {
    gd._ntklabChain = gd._ntklabChain.then(() => plotlyReady.then(step)).catch((e) => {
      console.error("[ntklab] plotly update failed", e);
    });
    return gd._ntklabChain;
  }

  async function plot(gd) {
    const P = await plotlyReady;
    let start, replay = [];
    const other = [...views].find((v) => v.data); // a figure already shown in a view
    if (other) {
      start = copyFigure(other);
    } else {
      start = snapshot || {
        data: decode(model.get("_widget_data")) || [],
        layout: decode(model.get("_widget_layout")) || {},
      };
      replay = pending;
      pending = [];
      snapshot = null;
    }
    // from here on, messages are queued on this div's chain, to run after this plot
    views.add(gd);
    const config = { displaylogo: false, ...(decode(model.get("_config")) || {}) };
    await P.newPlot(gd, start.data, start.layout, config);
    for (const [key, message] of replay) await APPLY[key](P, gd, message);
  }

  return {
    initialize(ctx) {
      model = ctx.model;
      for (const key of Object.keys(APPLY)) model.on("change:" + key, () => receive(key));
    },

    render({ el }) {
      const gd = document.createElement("div");
      gd.style.width = "100%";
      el.appendChild(gd);
      gd._ntklabChain = Promise.resolve();
      let width = 0;
      // Plot once the div has a width (a div not yet in the page has none: plotly would
      // draw it 700 px wide), and fit the plot again when the width changes.
      const observer = new ResizeObserver((entries) => {
        const w = Math.round(entries[entries.length - 1].contentRect.width);
        if (w === 0 || w === width) return;
        const first = width === 0;
        width = w;
        if (first) run(gd, () => plot(gd));
        else run(gd, (P) => (views.has(gd) ? P.Plots.resize(gd) : null));
      });
      observer.observe(gd);
      plotlyReady.catch((e) => {
        console.error("[ntklab] could not load plotly.js", e);
        gd.textContent = "The plot could not be drawn: plotly.js did not load (" + e + ").";
      });
      return () => {
        observer.disconnect();
        if (views.delete(gd) && views.size === 0) {
          try {
            snapshot = copyFigure(gd); // a later view starts where this one ended
          } catch (e) {
            snapshot = null;
          }
        }
        plotlyReady.then((P) => P.purge(gd)).catch(() => {});
      };
    },
  };
};
