"""The shipped nginx config (deploy/nginx/statusbot.conf), run for a test.

The site file is used as shipped except what a machine decides: it listens on a
free loopback port without TLS (the ``listen`` and ``ssl_*`` lines) and proxies
to the port ``statusbot run`` got. It is wrapped in a minimal main config whose
every path is under a temporary prefix, and nginx runs in the foreground
(``daemon off``) in its own process group, so a test can always stop it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import requests

from tests.operations.process import free_port, wait_until
from tests.prerequisites import missing

SITE = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "statusbot.conf"
UPSTREAM = "server 127.0.0.1:8080;"


def nginx_binary() -> str:
    found = shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx",) if os.access(path, os.X_OK)), None
    )
    if found is None:
        missing("nginx is missing: apt-get install -y nginx (.ci/run does)")
    return found


def site_for_test(port: int, upstream_port: int) -> str:
    """The shipped site, listening on loopback ``port`` (no TLS), in front of ``upstream_port``."""
    text = SITE.read_text()
    assert UPSTREAM in text, f"{SITE} no longer proxies to {UPSTREAM}"
    text = text.replace(UPSTREAM, f"server 127.0.0.1:{upstream_port};")
    lines = [line for line in text.splitlines() if not line.strip().startswith("ssl_")]
    listens = [i for i, line in enumerate(lines) if line.strip().startswith("listen ")]
    assert listens, f"{SITE} has no listen line"
    lines[listens[0]] = f"    listen 127.0.0.1:{port};"
    return "\n".join(line for i, line in enumerate(lines) if i not in listens[1:]) + "\n"


class Nginx:
    def __init__(self, prefix: Path, upstream_port: int) -> None:
        self.prefix = prefix
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        prefix.mkdir(parents=True, exist_ok=True)
        (prefix / "statusbot.conf").write_text(site_for_test(self.port, upstream_port))
        temp = "\n".join(
            f"    {kind}_temp_path {prefix / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        # root runs the workers as root too: the prefix is private to this test
        user = "user root;\n" if os.geteuid() == 0 else ""
        (prefix / "nginx.conf").write_text(
            f"{user}worker_processes 1;\n"
            f"error_log {prefix / 'error.log'} info;\n"
            "events { worker_connections 512; }\n"
            "http {\n"
            f"    access_log {prefix / 'access.log'};\n{temp}\n"
            f"    include {prefix / 'statusbot.conf'};\n"
            "}\n"
        )
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Nginx:
        command = [nginx_binary(), "-p", str(self.prefix), "-c", str(self.prefix / "nginx.conf")]
        pid = f"daemon off; pid {self.prefix / 'nginx.pid'};"
        checked = subprocess.run(
            [*command, "-e", "stderr", "-g", pid, "-t"], capture_output=True, text=True
        )
        assert checked.returncode == 0, checked.stderr
        with (self.prefix / "stderr.log").open("ab") as out:
            self.process = subprocess.Popen(
                [*command, "-e", "stderr", "-g", pid],
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(self._up, timeout=30, what="nginx to answer")
        return self

    def _up(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError((self.prefix / "stderr.log").read_text())
        try:
            return requests.get(self.url + "/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
