# Binder's Jupyter server (binder/start puts this directory on JUPYTER_CONFIG_PATH), which
# serves both README badges.
c = get_config()  # noqa: F821  (defined by traitlets when it loads this file)

# The dashboards badge (urlpath=ntklab/): ntklab's standalone Voila (`ntklab app`), started
# on first request and proxied by jupyter-server-proxy; also a "ntklab dashboards" tile in
# JupyterLab's launcher. The pool (BINDER_POOLS): spectrum and initialization preheated,
# not refilled (one student per container); the other five start a kernel on first open.
# A preheated kernel for every dashboard measured 1.86 GB (proportional set size) at rest
# and 2.14 GB with all seven open, over Binder's 2 GB; docs/deploy.md.
try:
    from ntklab.app.serving.proxy import BINDER_POOLS, server_proxy_entry
except ImportError as exc:  # ntklab not installed (postBuild failed): JupyterLab still works
    print(f"binder/jupyter-config: no ntklab dashboards entry ({exc})")
else:
    c.ServerProxy.servers = {
        "ntklab": server_proxy_entry(pool_size=0, pools=BINDER_POOLS, refill=False)}

# The notebooks badge (urlpath=lab/tree/notebooks) is JupyterLab. Kernels of this server
# (notebooks; Voila's server extension at /voila/render/..., which has no kernel pool) that
# are idle and not connected for 10 min are shut down, so closed tabs free their memory.
c.MappingKernelManager.cull_idle_timeout = 600
c.MappingKernelManager.cull_interval = 60
c.MappingKernelManager.cull_connected = False
c.MappingKernelManager.cull_busy = False
