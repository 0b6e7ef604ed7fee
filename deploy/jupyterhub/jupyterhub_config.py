"""JupyterHub for a class on one machine: every student logs in and gets their own Jupyter
server, whose default page is the ntklab dashboards (``ntklab app`` behind
jupyter-server-proxy at ``/user/<name>/ntklab/``); JupyterLab is at ``/user/<name>/lab``.

    jupyterhub -f deploy/jupyterhub/jupyterhub_config.py      # as root, in a state directory

Needs, beside ntklab installed (``pip install -e .`` of a checkout, which brings Voila and
jupyter-server-proxy): ``pip install jupyterhub jupyterhub-idle-culler`` and
``npm install -g configurable-http-proxy`` (JupyterHub's proxy, a Node.js program).
tests/app/test_hub.py runs this file with a test-only authenticator and spawner on
127.0.0.1 (two users, isolation checked); docs/deploy.md has the measurements and the
teacher's checklist. Everything here can be overridden by a file that loads it
(``load_subconfig``) or by ``NTKLAB_HUB_*`` environment variables.
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (defined by traitlets when it loads this file)
HERE = Path(__file__).resolve().parent

# --- where the hub listens: a reverse proxy with TLS (nginx, caddy) in front for a class
c.JupyterHub.bind_url = os.environ.get("NTKLAB_HUB_BIND_URL", "http://127.0.0.1:8000")

# --- who logs in. The default, PAM, takes the machine's Unix accounts (one per student).
# For a class without accounts use e.g. NativeAuthenticator or OAuthenticator (GitHub, an
# LMS through LTI); never DummyAuthenticator (the test uses it: any name, no password).
c.JupyterHub.authenticator_class = "pam"
# Who may log in: the students' names (NTKLAB_HUB_USERS="ada,alan,..."), or every account
# the authenticator accepts (NTKLAB_HUB_ALLOW_ALL=1).
_names = lambda var: set(filter(None, os.environ.get(var, "").split(",")))  # noqa: E731
c.Authenticator.allowed_users = _names("NTKLAB_HUB_USERS")
c.Authenticator.admin_users = _names("NTKLAB_HUB_ADMINS")
c.Authenticator.allow_all = os.environ.get("NTKLAB_HUB_ALLOW_ALL", "") == "1"

# --- one Jupyter server per student, started as the student's Unix user. LocalProcessSpawner
# enforces no memory or CPU limit (it only sets MEM_LIMIT in the environment); on a machine
# with systemd, `pip install jupyterhub-systemdspawner` and
#     c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
# enforces the limits below (cgroups). KubeSpawner does too: deploy/zero-to-jupyterhub/.
c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
c.Spawner.mem_limit = os.environ.get("NTKLAB_HUB_MEM_LIMIT", "2G")  # server + ~4 dashboard tabs
c.Spawner.cpu_limit = float(os.environ.get("NTKLAB_HUB_CPU_LIMIT", "1"))
c.Spawner.start_timeout = 120  # a loaded machine: the single-user server's imports
c.Spawner.http_timeout = 120

# Land on the dashboards: ntklab app, started by jupyter-server-proxy on the first request
# (deploy/jupyterhub/singleuser/jupyter_server_config.py). No preheated pool by default:
# one student per server, and a pool per student costs ~0.14 (spectrum) to 0.34 GB
# (training views) per dashboard and student. A class that opens one dashboard together can
# preheat just that one: NTKLAB_HUB_APP_ARGS="--pool-size=0 --pool=spectrum=1".
c.Spawner.default_url = "/ntklab/"
c.Spawner.environment = {
    "JUPYTER_CONFIG_PATH": str(HERE / "singleuser"),
    "NTKLAB_APP_ARGS": os.environ.get("NTKLAB_HUB_APP_ARGS", "--pool-size=0"),
}

# --- whole idle servers are shut down (their ntklab app and kernels with them): the
# jupyterhub-idle-culler service, as a process the hub starts and stops.
IDLE_TIMEOUT = int(os.environ.get("NTKLAB_HUB_IDLE_TIMEOUT", "1800"))  # seconds
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={IDLE_TIMEOUT}"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "services": ["idle-culler"],
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
}]

# --- stopping the hub (SIGTERM, SIGINT) stops every student's server and the proxy
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
