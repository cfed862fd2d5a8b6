"""How long an editor waits for an image-admin save, for a 1200 px and a 4000×3000 JPEG,
and how long a worker then takes to write the renditions.

Posts each picture to admin → Images → Add through Django's test client as a superuser,
five times, and prints the median (wall clock, and CPU time, which a busy machine moves
less), the slowest time and how many renditions the save wrote itself; then runs the
renditions task of each saved picture, as a worker does, and prints its median
(docs/performance.md, "Saving a picture"). Against a throwaway database and media folder:

    export DEBUG=1 ALLOWED_HOSTS=testserver DATABASE_URL=sqlite:////tmp/timing.sqlite3 \\
        MEDIA_ROOT=$(mktemp -d)
    .venv/bin/python manage.py migrate --verbosity 0
    .venv/bin/python manage.py shell --no-imports \\
        --command "exec(open('scripts/time_image_upload.py').read())"
"""

import io
import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage

from articles.images import make_renditions
from articles.models import Image

RUNS = 5


def photo_like_jpeg(width, height):
    """A JPEG with a photo's detail and grain (a fractal, a gradient and sensor-like
    noise in its three channels), so it compresses and decodes like a photo rather than
    like a flat colour."""
    fractal = PILImage.effect_mandelbrot((width, height), (-2.0, -1.2, 1.0, 1.2), 200)
    across = PILImage.linear_gradient("L").resize((width, height))
    grain = PILImage.effect_noise((width, height), 24)
    buffer = io.BytesIO()
    PILImage.merge("RGB", (fractal, across, grain)).save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def renditions_written():
    folder = settings.IMAGEKIT_CACHEFILE_DIR
    count, pending = 0, [folder]
    while pending:
        directory = pending.pop()
        if not default_storage.exists(directory):
            continue
        subdirectories, files = default_storage.listdir(directory)
        count += len(files)
        pending += [f"{directory}/{name}" for name in subdirectories]
    return count


admin_user, _created = get_user_model().objects.get_or_create(
    username="timing", defaults={"is_staff": True, "is_superuser": True}
)
client = Client()
client.force_login(admin_user)
for label, size in [("1200×800", (1200, 800)), ("4000×3000", (4000, 3000))]:
    content = photo_like_jpeg(*size)
    times, cpu = [], []
    before = renditions_written()
    for run in range(RUNS):
        data = {
            "file": SimpleUploadedFile(f"timing-{run}.jpg", content, content_type="image/jpeg"),
            "title": "Timing", "alt_text": "Timing", "focal_x": "0.5", "focal_y": "0.5",
        }  # fmt: skip
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.post(reverse("admin:articles_image_add"), data)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        assert response.status_code == 302, response.status_code
    written = (renditions_written() - before) / RUNS
    print(
        f"{label} JPEG ({len(content) / 1024 / 1024:.1f} MB): median "
        f"{statistics.median(times) * 1000:.0f} ms (CPU {statistics.median(cpu) * 1000:.0f} ms), "
        f"slowest {max(times) * 1000:.0f} ms, {written:.0f} renditions written in the request"
    )
    worker_times, worker_cpu = [], []
    for image in Image.objects.filter(title="Timing", width=size[0]).order_by("-pk")[:RUNS]:
        started, started_cpu = time.perf_counter(), time.process_time()
        make_renditions.call(image.pk, image.file.name)
        worker_times.append(time.perf_counter() - started)
        worker_cpu.append(time.process_time() - started_cpu)
    print(
        f"  the worker's task: median {statistics.median(worker_times) * 1000:.0f} ms "
        f"(CPU {statistics.median(worker_cpu) * 1000:.0f} ms)"
    )
