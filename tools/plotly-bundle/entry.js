// What the dashboards draw: plotly.js core (the scatter trace and every layout component:
// axes, legends, shapes, annotations, colour bars, ...) plus the heatmap trace.
// ntklab/app/serving/plotly_bundle.py lists the same traces (BUNDLE_TRACES); a test checks
// that every dashboard figure uses only those.
var Plotly = require('plotly.js/lib/core');

Plotly.register([require('plotly.js/lib/heatmap')]);

module.exports = Plotly;
