"""Logging helpers for the JSON log lines configured in settings.LOGGING."""

import logging


class RequestPathOnly(logging.Filter):
    """Django attaches the request to its log records, and the JSON formatter would print
    it with its query string, which can hold what a reader typed (a search, an email).
    Keep the path only."""

    def filter(self, record):
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            record.request = request.path
        return True
