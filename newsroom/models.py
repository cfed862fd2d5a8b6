from django.db import models
from django.utils.translation import gettext_lazy as _

from core.cache import CacheTagged


class SocialLinkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class SocialLink(CacheTagged, models.Model):
    """A "Follow us on social networks" link, edited by editors in the admin."""

    name = models.CharField(_("network"), max_length=40, help_text=_("As readers know it."))
    url = models.URLField(_("address"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("shown"), default=True)

    objects = SocialLinkQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("social network link")
        verbose_name_plural = _("social network links")

    def __str__(self):
        return self.name

    def shown_tags(self):
        return ("social",)
