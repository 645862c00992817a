"""The background worker: periodic jobs claimed once, tasks run, Ctrl-C stops server and worker."""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from newsdesk.core import testing
from newsdesk.core.scheduler import PeriodicTask, claim
from newsdesk.core.tasks import prune_task_results


@pytest.mark.django_db
def test_a_periodic_job_is_claimed_once_per_interval():
    job = PeriodicTask("test.job", timedelta(minutes=5), prune_task_results)
    now = timezone.now()
    assert claim(job, now) is True
    assert claim(job, now) is False  # a second worker at the same moment loses
    assert claim(job, now + timedelta(minutes=4)) is False
    assert claim(job, now + timedelta(minutes=5)) is True


def task_states(env) -> list[dict]:
    code = (
        "import json; from django_tasks_db.models import DBTaskResult as R; "
        "print(json.dumps(list(R.objects.values('task_path', 'status'))))"
    )
    out = testing.newsdesk(env, "shell", "-c", code).stdout.strip().splitlines()[-1]
    return json.loads(out)


def test_worker_runs_periodic_jobs_and_queued_tasks(tmp_path):
    env = testing.site_env(tmp_path)
    testing.newsdesk(env, "migrate", "--noinput")
    # A queued task from the web side: publishing a section indexes it for search.
    testing.newsdesk(
        env,
        "shell",
        "-c",
        "from newsdesk.news.models import HomePage, SectionPage; h = HomePage.objects.get(); "
        "s = h.add_child(instance=SectionPage(title='Queued', slug='queued')); "
        "s.save_revision().publish()",
    )
    assert any(t["status"] == "READY" for t in task_states(env))
    worker = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "worker"], env=env, stdout=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            states = task_states(env)
            done = {t["task_path"] for t in states if t["status"] == "SUCCESSFUL"}
            if "newsdesk.core.tasks.prune_task_results" in done and all(
                t["status"] == "SUCCESSFUL" for t in states
            ):
                break
            time.sleep(0.5)
        else:
            pytest.fail(f"worker did not run every task: {states}")
    finally:
        testing.stop(worker)


def test_ctrl_c_stops_server_and_worker(tmp_path):
    env = testing.site_env(tmp_path)
    testing.newsdesk(env, "migrate", "--noinput")
    port = testing.free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "serve", "--port", str(port), "--with-worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    testing.wait_for(f"http://127.0.0.1:{port}/healthz")
    # The embedded default runs the task worker inside the server: its periodic job runs.
    deadline = time.monotonic() + 30
    while not any(
        t["task_path"] == "newsdesk.core.tasks.prune_task_results" and t["status"] == "SUCCESSFUL"
        for t in task_states(env)
    ):
        assert time.monotonic() < deadline, "the in-process worker ran no task"
        time.sleep(0.5)
    os.killpg(process.pid, signal.SIGINT)  # what the terminal sends on Ctrl-C
    process.wait(timeout=30)
    time.sleep(0.5)
    left = subprocess.run(
        ["pgrep", "-g", str(process.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    assert left == []
