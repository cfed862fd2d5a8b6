from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:  # Any failure means "not ready"; details belong in server logs.
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return JsonResponse({"database": database}, status=status)
