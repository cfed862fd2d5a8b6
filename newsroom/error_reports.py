"""Django's error report (the DEBUG page, and the mail to ADMINS), able to describe a
request whose query string was the error.

A query string with more parameters than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` (``/en/search/``
with a thousand ``q``) raises ``TooManyFieldsSent`` on reading ``request.GET``: a 400. The
report reads ``request.GET`` again to list the parameters, raises again inside Django's
exception handler, and the server answers a bare 500 (Django ticket #35673). Django
already spares the report an unreadable POST (``_mark_post_parse_error``); this does the
same for GET.
"""

from django.core.exceptions import TooManyFieldsSent
from django.http import QueryDict
from django.views import debug


class ExceptionReporter(debug.ExceptionReporter):
    def __init__(self, request, *args, **kwargs):
        if request is not None:
            try:
                request.GET  # noqa: B018 (reading it is the test)
            except TooManyFieldsSent:
                request.GET = QueryDict()
        super().__init__(request, *args, **kwargs)
