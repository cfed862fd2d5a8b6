from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .images import clean_upload
from .models import Image


@require_POST
def ckeditor_upload(request):
    """CKEditor 5's image upload: the picture joins the library through the same checks
    as an upload in the image admin (content-identified, size-limited, re-encoded)."""
    if not (request.user.is_active and request.user.is_staff):
        return JsonResponse({"error": {"message": _("Log in as staff to upload.")}}, status=403)
    if not request.user.has_perm("articles.add_image"):
        return JsonResponse(
            {"error": {"message": _("You may not add pictures to the library.")}}, status=403
        )
    upload = request.FILES.get("upload")
    if upload is None:
        return JsonResponse({"error": {"message": _("Choose a picture to upload.")}}, status=400)
    try:
        content = clean_upload(upload)
    except ValidationError as error:
        return JsonResponse({"error": {"message": " ".join(error.messages)}}, status=400)
    image = Image(title=content.name.rsplit(".", 1)[0], uploaded_by=request.user)
    image.file.save(content.name, content, save=False)
    image.save()
    return JsonResponse({"url": image.file.url})
