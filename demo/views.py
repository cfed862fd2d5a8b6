from django.http import HttpResponse


def bench_reference(request):
    """``make bench``'s floor: a constant page of the asked size, no database, no template,
    through the same middleware as every page. Routed only in bench mode (demo.urls)."""
    size = min(int(request.GET.get("bytes", "0") or 0), 1_000_000)
    return HttpResponse(b"x" * size, content_type="text/html; charset=utf-8")
