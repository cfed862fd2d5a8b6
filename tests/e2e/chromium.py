"""Where the browser tests find Chromium, and what they say when it is not there.

Kept free of Playwright imports so the top-level conftest can report the browser's
status in the test header without starting anything.
"""

import os
from pathlib import Path

# Debian's Chromium: Playwright cannot download its own browser builds here.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING_REASON = "chromium not installed: apt-get install chromium"


def chromium_installed():
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


def browser_tests_required():
    """CI sets E2E_REQUIRED=1: there a missing browser fails the run instead of skipping."""
    return os.environ.get("E2E_REQUIRED", "").strip().lower() in {"1", "true", "yes", "on"}


def status_line():
    if chromium_installed():
        return f"browser tests: run with {CHROMIUM}"
    if browser_tests_required():
        return f"browser tests: FAIL ({MISSING_REASON}; E2E_REQUIRED is set)"
    return f"browser tests: not run ({MISSING_REASON})"
