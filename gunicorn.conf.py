"""gunicorn settings for `make serve`, `make bench` and production (docs/deploy.md).

Every value can be overridden from the environment (or gunicorn's own command line).
"""

import multiprocessing
import os

wsgi_app = "newsroom.wsgi:application"
bind = os.environ.get("BIND", "127.0.0.1:8000")
# Sync workers: rendering is CPU-bound and cached pages are answered in a millisecond or
# two, so one request per process and (2 x cores + 1) processes keep every core busy.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# The app is imported once and forked: workers share its memory pages. Nothing opens a
# database or Redis connection at import time, so no connection is shared by two workers.
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle a worker now and then so a slow leak (in us or a library) cannot grow forever.
max_requests = 5000
max_requests_jitter = 500
# Access log off by default (the reverse proxy keeps one); ACCESS_LOG=- prints it.
accesslog = os.environ.get("ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Behind a reverse proxy on the same host, trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# gunicorn's runtime control socket (one fixed path per user) is not used; without this,
# two servers on one machine (tests/newsroom/test_servers.py) would fight over it.
control_socket_disable = True
