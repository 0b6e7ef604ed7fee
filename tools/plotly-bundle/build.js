// Build ntklab's plotly.js bundle, as plotly.js builds its own dist bundles (esbuild,
// IIFE wrapped in the same UMD header and footer) but with only the traces in entry.js.
//
//   cd tools/plotly-bundle && npm ci && npm run build
//
// Writes ../../ntklab/app/serving/static/plotly-ntklab.min.js. The plotly.js version must be
// the one plotly.py bundles (tests/app/test_serving.py checks the header).
const esbuild = require('esbuild');
const path = require('path');
const version = require('plotly.js/package.json').version;

const banner = `/**
* plotly.js (ntklab: core + heatmap - minified) v${version}
* Copyright 2012-2026, Plotly, Inc.
* All rights reserved.
* Licensed under the MIT license
* Built by ntklab's tools/plotly-bundle from the npm package plotly.js@${version}.
*/
(
 function(root, factory) {
  if (typeof module === "object" && module.exports) {
   module.exports = factory();
  } else {
   root.moduleName = factory();
  }
} (typeof self !== "undefined" ? self : this, () => {
"use strict";`;

const footer = `
window.Plotly = Plotly;
return Plotly;
}));`;

esbuild.build({
  entryPoints: [path.join(__dirname, 'entry.js')],
  outfile: path.join(__dirname, '..', '..', 'ntklab', 'app', 'serving', 'static', 'plotly-ntklab.min.js'),
  format: 'iife',
  globalName: 'Plotly',
  bundle: true,
  minify: true,
  target: 'es2016',
  // plotly.js's own settings (esbuild-config.js in its repository)
  define: { global: 'window', 'define.amd': 'false' },
  // only map traces import a stylesheet (maplibre-gl's); none is in this bundle
  loader: { '.css': 'empty' },
  banner: { js: banner },
  footer: { js: footer },
  logLevel: 'info',
}).catch(() => process.exit(1));
