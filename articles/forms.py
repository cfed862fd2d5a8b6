"""The admin's forms: what an editor may submit, checked before anything is saved."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _
from reversion.models import Version
from taggit.models import Tag

from core.text import strip_control_characters

from .images import clean_upload
from .models import WORKFLOW_ACTIONS, Article, Image, TagLanguage
from .text import slug_from_headline


class ImageForm(forms.ModelForm):
    # A plain file field: Django's ImageField would answer every refusal with one generic
    # message; clean_upload() says what is wrong (format, size, pixels, hidden code).
    file = forms.FileField(label=_("file"))

    class Meta:
        model = Image
        fields = [
            "file", "focal_x", "focal_y", "title", "alt_text", "alt_text_ru", "alt_text_az",
            "caption", "caption_ru", "caption_az", "credit", "credit_ru", "credit_az",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "JPEG, PNG, WebP or GIF, up to %(mb)s MB and %(mp)s megapixels."
        ) % {"mb": settings.IMAGE_MAX_UPLOAD_MB, "mp": settings.IMAGE_MAX_MEGAPIXELS}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # A new upload is checked and re-encoded; an unchanged file was checked already.
        if isinstance(upload, UploadedFile):
            content = clean_upload(upload)
            existing = Image.objects.with_content(content)
            if existing is not None and existing.pk != self.instance.pk:
                raise ValidationError(
                    format_html(
                        _("This picture is in the library already: {link}. Use that entry."),
                        link=format_html(
                            '<a href="{}">{}</a>',
                            reverse("admin:articles_image_change", args=[existing.pk]),
                            existing,
                        ),
                    ),
                    code="duplicate",
                )
            return content
        return upload


class TagForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "slug"]

    def clean_name(self):
        # Before the unique check, so "economy" with a control character in it is the
        # "economy" already there (a form error), not a duplicate the database refuses.
        return strip_control_characters(self.cleaned_data["name"]).strip()


class NewsroomDateTimeInput(forms.DateTimeInput):
    """One date-and-time control (the browser's own picker), read and shown in the
    newsroom's time zone (``TIME_ZONE``), which is named beside it. It replaces the
    admin's split date and time boxes, whose script compares the browser's clock with the
    server's and speaks of hours "behind server time"."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        # To the second, so saving a form unchanged keeps the stored time exactly.
        super().__init__({"step": "1", **(attrs or {})}, format="%Y-%m-%dT%H:%M:%S")

    def render(self, name, value, attrs=None, renderer=None):
        offset = timezone.localtime().strftime("%z")
        zone = _("%(zone)s time (UTC%(offset)s)") % {
            "zone": timezone.get_current_timezone_name(),
            "offset": f"{offset[:3]}:{offset[3:]}",
        }
        return format_html(
            '{} <span class="timezone-note">{}</span>',
            super().render(name, value, attrs, renderer),
            zone,
        )


# The story admin's ``formfield_overrides``: every date and time on its form (publication,
# breaking flag, corrections) as one NewsroomDateTimeInput, in place of the admin's split
# field and widget.
NEWSROOM_TIME = {models.DateTimeField: {"form_class": forms.DateTimeField,
                                        "widget": NewsroomDateTimeInput}}  # fmt: skip


class ArticleAdminForm(forms.ModelForm):
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    workflow_note = forms.CharField(
        label=_("Note for the history"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with the next workflow step; required to return a story to its "
                    "author."),
    )  # fmt: skip

    # Set by ArticleAdmin.get_form: the rules depend on who is saving.
    user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_version"].initial = self.instance.version
        self.stored_state = None if self.instance._state.adding else self.instance.state
        if "tags" in self.fields:
            # taggit's own help text has no Russian or Azerbaijani translation.
            self.fields["tags"].help_text = _("Tags separated by commas.")
            # static/js/tag-suggest.js fills the list with existing tags as one types.
            self.fields["tags"].widget.attrs.update(
                {
                    "list": "tag-suggestions",
                    "autocomplete": "off",
                    "data-tag-suggest-url": reverse("admin:articles_article_tag_suggestions"),
                }
            )

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        # A tag's page lives at its slug; "{" or "!!" would get an empty one, and every page
        # linking the tag would fail to make its address.
        for name in tags:
            if not Tag().slugify(name):
                raise ValidationError(
                    _("The tag “%(tag)s” needs a letter or a digit: its address is made of them."),
                    code="tag_without_slug",
                    params={"tag": name},
                )
        self.check_tag_languages(tags, self.cleaned_data.get("language", self.instance.language))
        return tags

    def check_tag_languages(self, names, language):
        """A story carries the tags of its own language (and those of every language), so
        its readers see no foreign tag; a tag of another language is refused, with its
        translation where the newsroom has one (one query, two with translations)."""
        foreign = list(
            Tag.objects.filter(name__in=names)
            .exclude(language_info__language=language)
            .exclude(language_info__isnull=True)
            .select_related("language_info")
        )
        if not foreign:
            return
        translations = TagLanguage.objects.translations(foreign, language)
        errors = []
        for tag in foreign:
            params = {"tag": tag.name, "language": tag.language_info.get_language_display()}
            if tag.pk in translations:
                message = _("“%(tag)s” is a tag of %(language)s stories; this story's is "
                            "“%(translation)s”.")  # fmt: skip
                params["translation"] = translations[tag.pk].name
            else:
                message = _("“%(tag)s” is a tag of %(language)s stories: write it in this "
                            "story's language.")  # fmt: skip
            errors.append(ValidationError(message, code="tag_language", params=params))
        raise ValidationError(errors)

    def clean(self):
        cleaned = super().clean()
        if not self.instance._state.adding:
            self.check_version(cleaned.get("opened_version"))
        self.workflow_action = self.check_workflow_action(cleaned)
        self.slug_follows_headline(cleaned)
        return cleaned

    def slug_follows_headline(self, cleaned):
        """A story never published keeps a slug made from its headline in step with it: a
        translation starts with the source's headline (and so its slug), and gets one
        from its own, transliterated, once the translator writes it. A slug someone
        typed stays theirs, and a published address never changes."""
        story = self.instance
        if story._state.adding or story.published_at or "headline" not in self.changed_data:
            return
        made = slug_from_headline(self.initial.get("headline", ""))
        if cleaned.get("slug") == story.slug and made and story.slug.startswith(made):
            cleaned["slug"] = ""

    def check_version(self, opened):
        """Refuse to save over a save made since this form was opened (the row stays locked
        until this request ends, on databases that lock rows)."""
        current = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .get()
        )
        if opened == current:
            return
        last = Version.objects.get_for_object(self.instance).select_related("revision__user")
        last = last.first()
        who = last.revision.user if last and last.revision.user else None
        ignored = {"opened_version", "workflow_note"}
        differing = [str(self.fields[name].label or name) for name in self.changed_data
                     if name not in ignored]  # fmt: skip
        raise ValidationError(
            _("%(who)s saved this story at %(when)s, after you opened it. Nothing was saved: "
              "your text is still in the form below. Fields where the saved story now differs "
              "from yours: %(fields)s. Open the story in a new tab, bring your changes over, "
              "and save there."),
            code="stale",
            params={
                "who": who.get_full_name() or who.get_username() if who else _("Someone"),
                "when": timezone.localtime(last.revision.date_created).strftime("%H:%M")
                if last else "?",
                "fields": get_text_list(differing, _("and")) if differing else _("none"),
            },
        )  # fmt: skip

    def _post_clean(self):
        super()._post_clean()
        # Publishing happens after the save (article_transition), so check its rules here
        # on the edited story, where an error can still sit next to its field.
        if getattr(self, "workflow_action", None) in {"publish", "schedule"}:
            try:
                self.instance.check_publishable()
            except ValidationError as error:
                self._update_errors(error)

    def check_workflow_action(self, cleaned):
        name = self.data.get("_workflow")
        if not name:
            return None
        step = WORKFLOW_ACTIONS.get(name)
        if step is None or not step.allows(self.instance, self.user):
            raise ValidationError(_("You may not do that to this story."), code="forbidden")
        if name == "return" and not cleaned.get("workflow_note"):
            self.add_error("workflow_note", _("Tell the author what to change."))
        if name == "schedule":
            when = cleaned.get("published_at")
            if when is None or when <= timezone.now():
                self.add_error("published_at", _("Choose a time in the future to schedule."))
        return name
