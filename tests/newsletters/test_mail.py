"""What an issue looks like in a mailbox: both parts, the language, the outlet's address,
styles inlined from the mail stylesheet (the site's palette), pictures with their size
and alt text, no tracking and no reader id in story links."""

import re

import pytest
from django.core import mail
from lxml import html as lxml_html

from newsletters.mail import issue_message
from newsletters.models import Issue, Newsletter
from newsletters.services import subscription_request
from tests.factories import ArticleFactory, ImageFactory

from .conftest import subscribed

pytestmark = pytest.mark.django_db


def test_an_issue_has_html_and_text_in_its_language_and_no_tracking(settings):
    settings.NEWSLETTER_POSTAL_ADDRESS = "5 Nizami Street, Baku"
    newsletter = Newsletter.objects.create(name="Səhər icmalı", slug="morning", language="az")
    reader = subscribed(newsletter, "ana@example.com")
    story = ArticleFactory(language="az", headline="Yağış yağdı")
    issue = Issue.objects.create(
        newsletter=newsletter, subject="Çərşənbə", intro="Sabahınız xeyir."
    )
    message = issue_message(issue, reader, [story])
    html = message.alternatives[0].content
    assert '<html lang="az" dir="ltr">' in html
    assert "5 Nizami Street, Baku" in html and "5 Nizami Street, Baku" in message.body
    assert "Yağış yağdı" in message.body and "Abunəlikdən çıx" in message.body
    assert "<img" not in html  # No tracking image, and the story has no picture.
    story_links = [link for link in re.findall(r'href="([^"]+)"', html) if story.slug in link]
    assert story_links and all("?" not in link for link in story_links)
    assert "ana@example.com" not in html  # The links are signed, the address is not shown.


def test_the_html_part_is_styled_inline_from_the_site_palette_in_tables(briefing):
    reader = subscribed(briefing, "ana@example.com")
    story = ArticleFactory(headline="Rain at last", kicker="Weather")
    issue = Issue.objects.create(newsletter=briefing, subject="Monday", intro="Good morning.")
    html = issue_message(issue, reader, [story]).alternatives[0].content
    page = lxml_html.document_fromstring(html)
    assert page.get("lang") == "en" and page.get("dir") == "ltr"
    assert not page.xpath("//style | //link")  # Mail clients drop both: all is inline.
    assert page.xpath("//table[@role='presentation']")
    for element in page.xpath("//*[@class]"):
        assert element.get("style"), element.get("class")  # Every class got its rules.
    assert "var(" not in html  # The site's variables are resolved to values.
    masthead = page.xpath("//td[contains(@class, 'mail__masthead')]")[0].get("style")
    assert "border-bottom: 3px solid #b3141b" in masthead  # --accent in site.css.
    headline = page.xpath("//a[contains(@class, 'mail__headline-link')]")[0]
    assert headline.text == "Rain at last" and "color: #16181d" in headline.get("style")


def test_a_story_picture_is_its_rendition_with_width_height_and_alt(briefing):
    reader = subscribed(briefing, "ana@example.com")
    picture = ImageFactory(alt_text="Umbrellas on Fountain Square")
    story = ArticleFactory(headline="Rain at last", lead_image=picture)
    issue = Issue.objects.create(newsletter=briefing, subject="Monday")
    html = issue_message(issue, reader, [story]).alternatives[0].content
    [image] = lxml_html.document_fromstring(html).xpath("//img")
    assert image.get("alt") == "Umbrellas on Fountain Square"
    width, height = int(image.get("width")), int(image.get("height"))
    assert 0 < width <= 552 and 0 < height < width  # A 16:9 crop, at most the column.
    assert re.match(r"https?://[^/]+/media/renditions/.+\.jpg$", image.get("src"))
    assert "max-width: 552px" in image.get("style") and "height: auto" in image.get("style")
    assert image.getparent().get("href").endswith(story.get_absolute_url())


def test_the_confirmation_mail_is_styled_inline_too(briefing, sent):
    with sent:
        subscription_request(newsletter=briefing, email="ana@example.com", ip_hash="x")
    page = lxml_html.document_fromstring(mail.outbox[0].alternatives[0].content)
    button = page.xpath("//a[contains(@class, 'mail__button')]")[0]
    assert "background: #b3141b" in button.get("style")
    assert page.get("lang") == "en"
