"""gunicorn settings for `make serve` (and production behind a TLS proxy)."""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# The usual 2 x CPU + 1 sync workers, capped so a big machine does not exhaust the database.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 12)))
# Heartbeat files in RAM, as gunicorn recommends in containers (not a temp file for data).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
# Requests are logged by core.logs (JSON with the request id), not by gunicorn again.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's control socket (gunicornc) is one per user by default: two nodes on one host
# would share it and one would drive the other (issue 26). One per node, named by its port.
_runtime = os.environ.get("XDG_RUNTIME_DIR") or os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "var"
)
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET") or os.path.join(
    _runtime, f"chapterwise-gunicorn-{bind.rsplit(':', 1)[-1]}.ctl"
)

# Draining: on SIGTERM the node first answers /readyz with 503 for DRAIN_SECONDS while it
# still serves, so the load balancer stops sending it new requests; then gunicorn's own
# graceful shutdown runs (workers finish what they have).
drain_seconds = float(os.environ.get("DRAIN_SECONDS", "10"))


def when_ready(server):
    import signal  # noqa: PLC0415 - gunicorn config hooks keep their imports local
    import threading  # noqa: PLC0415

    from core.drain import drain_flag  # noqa: PLC0415

    def drain_then_stop(signum, frame):
        drain_flag(os.getpid()).touch()
        # After the drain, hand SIGTERM to gunicorn's own handler (it only queues it and
        # wakes the arbiter, so calling it from a timer thread is safe).
        threading.Timer(drain_seconds, server.signal, args=(signal.SIGTERM, None)).start()

    signal.signal(signal.SIGTERM, drain_then_stop)


def on_exit(server):
    from core.drain import drain_flag  # noqa: PLC0415

    drain_flag(os.getpid()).unlink(missing_ok=True)
