"""The Voila server of ``ntklab app``: standalone Voila whose root opens the dashboards' index.

Standalone Voila serving a folder answers ``/`` with its file list (the "tree" page), where a
student who opens ``http://localhost:8866/`` expected the dashboards. Voila has no setting
for the page at ``/`` (and runs no Jupyter server extensions), so :class:`NtklabVoila` adds
one handler in front of Voila's own: ``/`` redirects (302, with the query string) to
``voila/render/index.ipynb`` when the served folder has an ``index.ipynb``. Everything else is
Voila's. :func:`ntklab.app.serving.voila.voila_command` runs ``python -m
ntklab.app.serving.server``, which takes Voila's command line and config (``voila.json``).
"""

from __future__ import annotations

import os

from jupyter_server.utils import url_path_join
from tornado import web
from voila.app import Voila

__all__ = ["INDEX", "NtklabVoila", "main"]

INDEX = "index.ipynb"  # the page opened at the server's root, when the folder has one


class NtklabVoila(Voila):
    """Voila with ``/`` redirected to the served folder's ``index.ipynb``."""

    def init_handlers(self) -> list:
        handlers = super().init_handlers()
        if self.notebook_path or not os.path.isfile(os.path.join(self.root_dir, INDEX)):
            return handlers  # one notebook served, or no index: Voila's own root
        index = url_path_join(self.base_url, "voila/render", INDEX)
        # first: tornado takes the first handler whose pattern matches the path
        return [(url_path_join(self.server_url, "/"), web.RedirectHandler,
                 {"url": index, "permanent": False}), *handlers]


main = NtklabVoila.launch_instance

if __name__ == "__main__":
    main()
