"""Pool kernels start a few at a time (ntklab/app/serving/server.py): Voila's pool refill
started every taken kernel's replacement at once; thirty at once on two cores missed their
notebook's output ("Timeout waiting for IOPub output": blank pages for the next students)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import types

from ntklab.app.serving import server


def _run(make_coroutine):
    """asyncio.run in a thread of its own: in the full suite the session's Playwright browser
    runs an event loop in the main thread. The coroutine is made there too (never left
    un-awaited)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


def _fake_manager(log: list, seconds: float):
    """A stand-in for Voila's kernel manager class: ``_initialize`` returns at once with a
    render task that runs ``seconds`` (a notebook executing), as Voila's does."""

    class Manager:
        running = 0

        def __init__(self, parent):
            self.parent = parent

        async def _initialize(self, notebook_path, kernel_id=None, **kwargs):
            async def render():
                Manager.running += 1
                log.append(Manager.running)
                await asyncio.sleep(seconds)
                Manager.running -= 1

            return {"task": asyncio.get_running_loop().create_task(render()),
                    "kernel_id": notebook_path}

    return Manager


def _fill(limit: int, kernels: int, seconds: float = 0.05, wait: bool = True):
    log: list[int] = []
    original = server._voila_kernel_manager_factory
    server._voila_kernel_manager_factory = lambda *a, **k: _fake_manager(log, seconds)
    try:
        cls = server._bounded_kernel_manager_factory()
    finally:
        server._voila_kernel_manager_factory = original
    manager = cls(types.SimpleNamespace(pool_starts=limit))

    async def fill():
        contents = await asyncio.wait_for(asyncio.gather(
            *(manager._initialize(f"k{i}") for i in range(kernels))), 10)
        if wait:
            await asyncio.gather(*(c["task"] for c in contents))
        else:
            for c in contents:
                c["task"].cancel()
        return contents

    contents = _run(fill)
    return log, contents


def test_pool_kernels_run_their_notebooks_at_most_pool_starts_at_a_time():
    log, contents = _fill(limit=2, kernels=12)
    assert len(contents) == 12 and all(c["task"].done() for c in contents)
    assert max(log) == 2  # never more than two notebooks at once, and the two were used


def test_without_the_bound_all_start_at_once():
    """The positive control: the fake manager alone runs every notebook together."""
    log: list[int] = []
    manager = _fake_manager(log, 0.05)(types.SimpleNamespace())

    async def fill():
        contents = await asyncio.gather(*(manager._initialize(f"k{i}") for i in range(12)))
        await asyncio.gather(*(c["task"] for c in contents))

    _run(fill)
    assert max(log) == 12


def test_a_failed_start_frees_its_turn():
    class Failing:
        def __init__(self, parent):
            self.parent = parent

        async def _initialize(self, notebook_path, kernel_id=None, **kwargs):
            raise RuntimeError("kernel died")

    original = server._voila_kernel_manager_factory
    server._voila_kernel_manager_factory = lambda *a, **k: Failing
    try:
        manager = server._bounded_kernel_manager_factory()(types.SimpleNamespace(pool_starts=1))
    finally:
        server._voila_kernel_manager_factory = original

    async def twice():
        for _ in range(2):  # the second would wait forever if the first kept its turn
            try:
                await asyncio.wait_for(manager._initialize("k"), 5)
            except RuntimeError:
                pass

    _run(twice)


def test_the_server_module_installs_the_bound_in_voila():
    from voila import app as voila_app

    assert voila_app.voila_kernel_manager_factory is server._bounded_kernel_manager_factory


def test_a_kernel_waiting_for_its_student_frees_its_turn_after_the_hold(monkeypatch):
    """A pool kernel's notebook stops at the URL-preset cell until a student takes it: its
    render task does not end, so the turn is freed after POOL_START_HOLD_S."""
    monkeypatch.setattr(server, "POOL_START_HOLD_S", 0.2)
    log, contents = _fill(limit=1, kernels=3, seconds=60, wait=False)
    # all three started (within _fill's 10 s) although no render task had ended
    assert len(contents) == 3 and log == [1, 2, 3]
