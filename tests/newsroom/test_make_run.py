"""`make run` (scripts/run) on an empty database: the site answers, a task worker runs beside
it, the start-up ends with the address, the logins and how to stop, and Ctrl+C stops both."""

import os
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import closed_port

pytestmark = pytest.mark.servers
ROOT = Path(__file__).resolve().parents[2]


def test_make_run_serves_the_demo_with_a_worker_and_says_how_to_log_in(tmp_path):
    port = closed_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "ADDRESS": f"127.0.0.1:{port}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    run = subprocess.Popen(  # noqa: S603 (our own script)
        [str(ROOT / "scripts" / "run")], cwd=ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    output = []
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = run.stdout.readline()
            output.append(line)
            if "Stop both: Ctrl+C" in line:
                break
        text = "".join(output)
        block = text[text.rindex("The newsroom is running") :]
        assert f"http://127.0.0.1:{port}/admin/" in block
        assert block.count("password:") == 4  # admin, journalist, editor, moderator
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/en/", timeout=10) as page:
            assert page.status == 200
        # The worker beside the server runs what is enqueued.
        trace = tmp_path / "trace.txt"
        subprocess.run(  # noqa: S603 (our own command)
            [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "shell", "-c",
             f"from tests.core.probe_tasks import note; note.enqueue('done', {str(trace)!r})"],
            cwd=ROOT, env=env, check=True, capture_output=True,
        )  # fmt: skip
        # After what loading the demo enqueued (its pictures' renditions, its stories'
        # suggestions): a fresh machine's worker has a minute or so of those first.
        for _ in range(1200):
            if trace.exists() and trace.read_text() == "done\n":
                break
            time.sleep(0.1)
        assert trace.read_text() == "done\n"
        text_lines = [line for line in text.splitlines() if '"level"' in line]
        assert text_lines == []  # Development logs plain text only, never JSON.
    finally:
        os.killpg(run.pid, signal.SIGINT)  # Ctrl+C reaches the whole terminal group.
        run.wait(timeout=30)
    leftover = subprocess.run(  # noqa: S603
        [shutil.which("pgrep"), "-f", f"runserver 127.0.0.1:{port}"],
        capture_output=True,
        check=False,
    )
    assert leftover.stdout == b""
