"""A tiny widget that tells the student when the dashboard's kernel is gone.

When a Voila kernel dies (killed, out of memory, culled, server stopped) the page keeps
showing the last plots and the controls still move, but nothing answers: Voila itself shows
no message. :class:`KernelWatch` is shown with every dashboard (invisible while all is
well): the browser pings the kernel every ``interval_ms``; when no answer came for
``timeout_ms`` it puts a banner at the top of the page saying that the dashboard stopped and
that reloading the page starts a fresh one. The answer is sent on the kernel's shell
thread, which stays responsive while the dashboard computes on its worker thread.

It also makes sure the page has an ``_xsrf`` cookie, without which Voila's own request to
shut the kernel down when the page closes is refused (see the comment in the JavaScript).
"""

from __future__ import annotations

import anywidget
import traitlets

__all__ = ["KernelWatch"]

MESSAGE = {
    "en": "This dashboard has stopped (its Python kernel is gone). "
          "Reload the page to start a fresh one.",
    "zh": "此仪表板已停止（其 Python 内核已不存在）。请刷新页面以重新开始。",
}

_ESM = r"""
export default {
  render({ model, el }) {
    el.style.display = "none";
    // Voila shuts the page's kernel down with a beacon on `beforeunload`, which the server
    // accepts only with an `_xsrf` form token equal to the `_xsrf` cookie. A page served
    // by standalone Voila never gets that cookie, so every beacon was refused (403) and each
    // closed or reloaded page left its kernel running until culled. Set a random one for
    // this origin (the double-submit token: other sites can neither read nor set it).
    if (!/(^|;\s*)_xsrf=/.test(document.cookie)) {
      const bytes = crypto.getRandomValues(new Uint8Array(16));
      const token = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
      document.cookie = `_xsrf=${token}; path=/; SameSite=Strict`;
    }
    const every = model.get("interval_ms"), timeout = model.get("timeout_ms");
    let last = Date.now(), banner = null;
    const onMsg = (msg) => {
      if (msg && msg.pong !== undefined) {
        last = Date.now();
        if (banner) { banner.remove(); banner = null; }
      }
    };
    model.on("msg:custom", onMsg);
    const tick = () => {
      try { model.send({ ping: Date.now() }); } catch (e) { /* kernel dead: no answer */ }
      if (!banner && Date.now() - last > timeout) {
        banner = document.createElement("div");
        banner.className = "ntklab-kernel-lost";
        banner.setAttribute("role", "alert");
        banner.style.cssText = "position:fixed;top:0;left:0;right:0;z-index:10000;" +
          "background:#b00020;color:#fff;padding:10px 16px;font:600 15px sans-serif;" +
          "box-shadow:0 2px 6px rgba(0,0,0,.3)";
        const messages = model.get("messages");
        for (const key of Object.keys(messages)) {
          const line = document.createElement("div");
          line.textContent = messages[key];
          banner.appendChild(line);
        }
        const button = document.createElement("button");
        button.textContent = "⟳ Reload / 刷新";
        button.style.cssText = "margin-top:6px;font:600 14px sans-serif";
        button.onclick = () => location.reload();
        banner.appendChild(button);
        document.body.prepend(banner);
      }
    };
    const id = setInterval(tick, every);
    tick();
    return () => {
      clearInterval(id);
      model.off("msg:custom", onMsg);
      if (banner) banner.remove();
    };
  }
};
"""


class KernelWatch(anywidget.AnyWidget):
    """Invisible watchdog: a banner in the page when the kernel stops answering."""

    _esm = _ESM
    interval_ms = traitlets.Int(2000).tag(sync=True)
    timeout_ms = traitlets.Int(10000).tag(sync=True)
    messages = traitlets.Dict(MESSAGE).tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.on_msg(self._answer)

    def _answer(self, _widget, content, _buffers) -> None:
        if isinstance(content, dict) and "ping" in content:
            self.send({"pong": content["ping"]})
