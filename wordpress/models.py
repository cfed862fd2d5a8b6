"""What an import remembers: which Newsroom row each WordPress object became, and the
WordPress site's old addresses, so that running it again changes nothing and old links
keep working."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Image, published_q


class ImportedStory(models.Model):
    """A post or page imported as a story. ``source_hash`` is the WordPress text it was
    made from and ``version`` the story's version right after the import: a newer export
    updates the story only where WordPress changed it and nobody in Newsroom did."""

    site = models.CharField(_("WordPress site"), max_length=200)
    wp_id = models.PositiveBigIntegerField(_("WordPress post id"))
    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="+")
    source_hash = models.CharField(max_length=64)
    version = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("imported story")
        verbose_name_plural = _("imported stories")
        constraints = [
            models.UniqueConstraint(fields=["site", "wp_id"], name="importedstory_once"),
        ]

    def __str__(self):
        return f"{self.site} #{self.wp_id}"


class ImportedImage(models.Model):
    site = models.CharField(_("WordPress site"), max_length=200)
    wp_id = models.PositiveBigIntegerField(_("WordPress attachment id"))
    image = models.OneToOneField(Image, on_delete=models.CASCADE, related_name="+")
    source_url = models.CharField(max_length=500)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "wp_id"], name="importedimage_once"),
        ]

    def __str__(self):
        return f"{self.site} #{self.wp_id}"


class ImportedReview(models.Model):
    site = models.CharField(_("WordPress site"), max_length=200)
    wp_id = models.PositiveBigIntegerField(_("WordPress comment id"))
    # By name: a feature app does not import another of its floor (tests/test_layout.py).
    comment = models.OneToOneField("comments.Comment", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "wp_id"], name="importedreview_once"),
        ]

    def __str__(self):
        return f"{self.site} #{self.wp_id}"


class OldAddressQuerySet(models.QuerySet):
    def story_at(self, path):
        """The story readers may see that once lived at ``path`` on the WordPress site."""
        found = (
            self.filter(path=path)
            .filter(published_q("article__"))
            .select_related("article__section")
            .first()
        )
        return found.article if found else None


class OldAddress(models.Model):
    """A path on the old WordPress site (``/2013/01/11/slug/``, ``/slug/``, ``/?p=19``)
    that answers with a permanent redirect to the story it became
    (``wordpress.middleware.OldAddressMiddleware``)."""

    path = models.CharField(_("old path"), max_length=500, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")

    objects = OldAddressQuerySet.as_manager()

    class Meta:
        verbose_name = _("WordPress address")
        verbose_name_plural = _("WordPress addresses")

    def __str__(self):
        return self.path
