# Each student's Jupyter server under JupyterHub (deploy/jupyterhub/jupyterhub_config.py puts
# this directory on JUPYTER_CONFIG_PATH).
c = get_config()  # noqa: F821  (defined by traitlets when it loads this file)

# /user/<name>/ntklab/: ntklab app (ntklab's Voila: its template, kernel watch, clean
# shutdown) started on first request and proxied by jupyter-server-proxy; also a tile in
# JupyterLab's launcher. Its options come from NTKLAB_APP_ARGS (set by the hub's config).
from ntklab.app.serving.proxy import server_proxy_entry  # noqa: E402

c.ServerProxy.servers = {"ntklab": server_proxy_entry()}

# Kernels of this server (notebooks in JupyterLab) idle and not connected for 10 min are
# shut down, as on Binder; ntklab app culls its own kernels (voila.json).
c.MappingKernelManager.cull_idle_timeout = 600
c.MappingKernelManager.cull_interval = 60
c.MappingKernelManager.cull_connected = False
c.MappingKernelManager.cull_busy = False
