"""What the dashboards need in the browser, and what ``ntklab app`` serves besides the
notebooks.

- :mod:`~ntklab.app.serving.figure_widget`: the figures' ``go.FigureWidget`` (its state
  kept fresh for a page that connects late) and ``sync_figure``, which updates it;
- :mod:`~ntklab.app.serving.plotly_bundle`: ntklab's small plotly.js (``static/``), loaded
  once per page by URL, and the figures' own browser front end (``static/figure.js``);
- :mod:`~ntklab.app.serving.watch`: the kernel watchdog shown with every dashboard;
- :mod:`~ntklab.app.serving.voila`: the Voila command line and environment of ``ntklab app``;
- ``jupyter/voila/templates/ntklab/``: the Voila template of ``ntklab app``
  (:data:`ntklab.app.serving.voila.TEMPLATE_ROOT` puts ``jupyter/`` on ``JUPYTER_PATH``).

Importing this package imports nothing else.
"""
