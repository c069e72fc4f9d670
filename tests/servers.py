"""Real servers for tests that need more than Django's client: free ports, the test
database's URL for a subprocess, a gunicorn node spoken to over HTTP, dropping a scratch
PostgreSQL database."""

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from django.db import connection

from tests.conftest import ROOT

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
CSRF = "k" * 32


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    base, _, query = os.environ["DATABASE_URL"].partition("?")
    return f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")


class Node:
    """One gunicorn node, talked to over HTTP with a cookie jar of our own."""

    def __init__(self, name: str, env: dict, folder: Path):
        self.name, self.port = name, free_port()
        folder.mkdir()
        self.process = subprocess.Popen(
            [GUNICORN, "-c", "config/gunicorn.conf.py"],
            cwd=ROOT,
            env={**env, "PORT": str(self.port), "NODE_NAME": name, "HOME": str(folder),
                 "DJANGO_CACHE_DIR": str(folder / "cache"), "WEB_CONCURRENCY": "2"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        for _ in range(200):
            try:
                if self.request("GET", "/healthz", cookies={})[0] == 200:
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"node {name} did not start")

    def request(self, method, path, *, cookies, data=None):
        connection_ = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in {"csrftoken": CSRF, **cookies}.items())
        }
        body = None
        if data is not None:
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": CSRF, **data})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection_.request(method, path, body=body, headers=headers)
        response = connection_.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            if name == "sessionid":
                cookies["sessionid"] = rest.split(";")[0]
        return response.status, content, response

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def drop_database(name: str) -> None:
    """Drop a scratch PostgreSQL database a test created, ending its sessions first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


class RedisServer:
    """A real redis-server of the test's own, which the test may stop, pause and resume."""

    EXECUTABLE = shutil.which("redis-server") or "/usr/bin/redis-server"

    def __init__(self, folder: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.folder = folder
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.EXECUTABLE, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)  # a paused server cannot exit
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def pause(self) -> None:
        """Connections are still accepted (the kernel's backlog), nothing is answered."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)


class Forwarder:
    """A socket that forwards to another while up, and refuses connections while down: a
    server's outage, seen from its clients, without stopping the server. Addresses are
    (host, port) pairs or Unix socket paths."""

    def __init__(self, *, listen: tuple[str, int] | Path, target: tuple[str, int] | Path):
        self.listen, self.target = listen, target
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []

    def _connect(self) -> socket.socket:
        if isinstance(self.target, Path):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(str(self.target))
            return sock
        return socket.create_connection(self.target)

    def up(self) -> None:
        if isinstance(self.listen, Path):
            self.listen.unlink(missing_ok=True)
            self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.listener.bind(str(self.listen))
            self.listener.listen()
        else:
            self.listener = socket.create_server(self.listen)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def down(self) -> None:
        if self.listener is not None:
            self.listener.close()
            self.listener = None
            if isinstance(self.listen, Path):
                self.listen.unlink(missing_ok=True)
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = self._connect()
            self.sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)
