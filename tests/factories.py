"""Factories for the whole suite (factory_boy)."""

import io
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PILImage

from articles.images import make_renditions
from articles.models import (
    Article,
    Byline,
    Contributor,
    Correction,
    Image,
    RelatedLink,
    Section,
)
from newsroom.models import SocialLink


def jpeg_bytes(size=(64, 36), color=(30, 90, 160), comment=""):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, "JPEG", comment=comment)
    return buffer.getvalue()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct horse battery staple")


class StaffFactory(UserFactory):
    is_staff = True


class SuperuserFactory(StaffFactory):
    is_superuser = True


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")
    position = factory.Sequence(int)


class ImageFactory(factory.django.DjangoModelFactory):
    """A library picture whose renditions are made, as a worker would have made them by
    the time readers look (the task's own function, called directly: the tests using
    this are about something else). ``ImageFactory(renditions=False)`` leaves them to a
    worker (tests/articles/test_images.py runs one)."""

    class Meta:
        model = Image
        skip_postgeneration_save = True

    # A file of its own each (its number in the JPEG comment): the library keeps one
    # entry per picture.
    file = factory.Sequence(
        lambda n: ContentFile(jpeg_bytes(comment=f"picture {n}"), name="picture.jpg")
    )
    title = factory.Sequence(lambda n: f"Picture {n}")
    alt_text = "Workers in hard hats on a building site"
    caption = "Building work in the town centre."
    credit = "Newsroom photo desk"

    @factory.post_generation
    def renditions(image, create, extracted, **kwargs):
        if create and extracted is not False:
            make_renditions.call(image.pk, image.file.name)
            image.refresh_from_db(fields=["renditions"])


class ContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contributor

    name = factory.Sequence(lambda n: f"Reporter {n}")
    slug = factory.Sequence(lambda n: f"reporter-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A story readers can see: published an hour ago."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    language = "en"
    headline = factory.Sequence(lambda n: f"Harvest figures beat forecasts in region {n}")
    lead = "Farmers brought in more grain than expected."
    body = "<p>Farmers brought in more grain than expected this year.</p>"
    section = factory.SubFactory(SectionFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT, published_at=None)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
        )

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class BylineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Byline

    article = factory.SubFactory(ArticleFactory)
    contributor = factory.SubFactory(ContributorFactory)
    role = Byline.Role.REPORTER


class RelatedLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelatedLink

    article = factory.SubFactory(ArticleFactory)
    target_article = factory.SubFactory(ArticleFactory)
    kind = RelatedLink.Kind.STORY


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    article = factory.SubFactory(ArticleFactory)
    text = "An earlier version of this story gave the wrong date."


class SocialLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialLink

    name = factory.Sequence(lambda n: f"Network {n}")
    url = factory.Sequence(lambda n: f"https://social{n}.example.com/newsroom")


class CommentFactory(factory.django.DjangoModelFactory):
    """A reader's review; approved unless told otherwise."""

    class Meta:
        model = "comments.Comment"

    article = factory.SubFactory(ArticleFactory)
    author_name = factory.Sequence(lambda n: f"Reader {n}")
    email = factory.Sequence(lambda n: f"reader{n}@example.com")
    body = "A clear, fair report. Thank you."
    status = "approved"
