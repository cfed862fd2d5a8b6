"""The front page editors arrange (issue 17, curation): slots, their fallback to the
latest stories, the page cache following them, who may arrange, and the record."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.frontpage import front_page_place
from articles.models import Article, FrontPageChange, FrontPageSlot
from tests.articles.test_views import HOME_PAGE_BUDGET, LIST_PAGE_BUDGET, url, warm_site_chrome
from tests.factories import ArticleFactory, ImageFactory, SectionFactory
from tests.helpers import change_url, logged_in

pytestmark = pytest.mark.django_db

ARRANGE = "/admin/articles/frontpageslot/"
NOW = timezone.now().replace(microsecond=0)


def home_lead_headline(client):
    page = client.get(url("home")).content.decode()
    lead = page.split('class="lead-story"', 1)[1].split("</section>", 1)[0]
    return lead


@pytest.fixture
def cached(settings):
    """The page cache on, as in production."""
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def quake(editor):
    return ArticleFactory(
        headline="Earthquake shakes the capital",
        published_at=NOW - timedelta(hours=2),
        breaking_until=NOW + timedelta(hours=1),
    )


class TestFallback:
    def test_a_pinned_lead_stays_when_newer_stories_are_published(
        self, client, cached, editor, quake
    ):
        with time_machine.travel(NOW, tick=False):
            front_page_place(article=quake, position=0, user=editor)
            assert "Earthquake shakes the capital" in home_lead_headline(client)
            ArticleFactory(headline="Energy prices steady", published_at=NOW)
            lead = home_lead_headline(client)
            assert "Earthquake shakes the capital" in lead and "Energy prices" not in lead

    def test_without_a_slot_the_newest_story_leads(self, client, quake):
        ArticleFactory(headline="Energy prices steady")
        assert "Energy prices steady" in home_lead_headline(client)

    def test_the_lead_falls_back_when_its_end_time_passes_in_the_cached_page(
        self, client, cached, editor, quake
    ):
        with time_machine.travel(NOW, tick=False):
            ArticleFactory(
                headline="Energy prices steady", published_at=NOW - timedelta(minutes=5)
            )
            front_page_place(
                article=quake, position=0, user=editor, ends_at=NOW + timedelta(minutes=2)
            )
            assert "Earthquake" in home_lead_headline(client)
            response = client.get(url("home"))
            assert response["X-Page-Cache"] == "hit"
        with time_machine.travel(NOW + timedelta(minutes=2, seconds=2), tick=False):
            response = client.get(url("home"))
            assert response["X-Page-Cache"] == "miss"
            lead = home_lead_headline(client)
            assert "Energy prices steady" in lead and "Earthquake" not in lead

    def test_the_lead_falls_back_when_its_story_is_unpublished(
        self, client, cached, editor, quake
    ):
        ArticleFactory(headline="Energy prices steady", published_at=NOW - timedelta(minutes=5))
        front_page_place(article=quake, position=0, user=editor)
        assert "Earthquake" in home_lead_headline(client)
        quake.status = Article.Status.UNPUBLISHED
        quake.save()
        page = client.get(url("home")).content.decode()
        assert "Earthquake" not in page and "Energy prices steady" in home_lead_headline(client)

    def test_a_scheduled_story_takes_its_slot_only_when_it_goes_live(self, client, cached, editor):
        with time_machine.travel(NOW, tick=False):
            ArticleFactory(headline="Energy prices steady")
            budget = ArticleFactory(
                headline="Budget unveiled", published_at=NOW + timedelta(hours=1)
            )
            front_page_place(article=budget, position=0, user=editor)
            assert "Budget unveiled" not in client.get(url("home")).content.decode()
        with time_machine.travel(NOW + timedelta(hours=1, seconds=2), tick=False):
            assert "Budget unveiled" in home_lead_headline(client)

    def test_top_stories_keep_their_positions_and_the_rest_fill_with_the_latest(
        self, client, editor
    ):
        older = [
            ArticleFactory(headline=f"Older {n}", published_at=NOW - timedelta(days=n + 1))
            for n in range(2)
        ]
        newer = [
            ArticleFactory(headline=f"Newer {n}", published_at=NOW - timedelta(minutes=n))
            for n in range(5)
        ]
        front_page_place(article=older[0], position=2, user=editor)
        front_page_place(article=older[1], position=4, user=editor)
        response = client.get(url("home"))
        assert response.context["lead"] == newer[0]
        assert response.context["top_stories"] == [newer[1], older[0], newer[2], older[1]]
        shown_below = [s for _section, block in response.context["section_blocks"] for s in block]
        assert not {newer[0], newer[1], newer[2], *older} & set(shown_below)

    def test_a_slot_counts_only_in_its_own_language(self, client, editor):
        english = ArticleFactory(
            headline="Pinned in English", published_at=NOW - timedelta(days=1)
        )
        ArticleFactory(headline="Новости дня", language="ru")
        front_page_place(article=english, position=0, user=editor)
        assert client.get(url("home", "ru")).context["lead"].headline == "Новости дня"


class TestArranging:
    def test_an_editor_places_reorders_and_removes_and_each_change_is_recorded(
        self, editor, quake
    ):
        other = ArticleFactory(headline="Energy prices steady")
        client = logged_in(editor)
        response = client.post(ARRANGE, {"language": "en", "article": quake.pk, "position": 0})
        assert response.status_code == 302
        client.post(
            ARRANGE,
            {"language": "en", "article": other.pk, "position": 3, "ends_at": "2031-01-01T18:00"},
        )
        client.post(
            ARRANGE, {"language": "en", "reorder": "1", "position-0": "1", "position-3": "0"}
        )
        assert dict(FrontPageSlot.objects.values_list("position", "article__headline")) == {
            0: "Energy prices steady",
            1: "Earthquake shakes the capital",
        }
        client.post(ARRANGE, {"language": "en", "remove": "1"})
        assert list(FrontPageSlot.objects.values_list("article", flat=True)) == [other.pk]
        record = list(
            FrontPageChange.objects.order_by("pk").values_list(
                "action", "position", "headline", "user__username"
            )
        )
        assert record == [
            ("placed", 0, "Earthquake shakes the capital", "edith"),
            ("placed", 3, "Energy prices steady", "edith"),
            ("moved", 1, "Earthquake shakes the capital", "edith"),
            ("moved", 0, "Energy prices steady", "edith"),
            ("removed", 1, "Earthquake shakes the capital", "edith"),
        ]
        assert FrontPageChange.objects.filter(action="placed", position=3).get().ends_at

    def test_the_screen_shows_slots_what_readers_see_and_the_record(self, editor, quake):
        quake.lead_image = ImageFactory()
        quake.save()
        front_page_place(article=quake, position=0, user=editor)
        page = logged_in(editor).get(ARRANGE, {"language": "en", "q": "quake"}).content.decode()
        assert quake.lead_image.file.url in page
        assert page.count("Earthquake shakes the capital") >= 3  # slot, search, record
        assert 'name="reorder"' in page

    def test_a_story_fills_one_slot_at_most(self, editor, quake):
        front_page_place(article=quake, position=0, user=editor)
        front_page_place(article=quake, position=2, user=editor)
        assert list(FrontPageSlot.objects.values_list("position", flat=True)) == [2]

    @pytest.mark.parametrize("role", ["journalist", "moderator"])
    def test_journalists_and_moderators_may_look_but_a_crafted_post_is_refused(
        self, request, role, editor, quake
    ):
        front_page_place(article=quake, position=0, user=editor)
        client = logged_in(request.getfixturevalue(role))
        page = client.get(ARRANGE)
        assert page.status_code == 200 and "Earthquake" in page.content.decode()
        assert 'name="reorder"' not in page.content.decode()
        other = ArticleFactory()
        for data in [
            {"article": other.pk, "position": 0},
            {"remove": "0"},
            {"reorder": "1", "position-0": "2"},
            {"article": "", "position": "9"},
        ]:
            assert client.post(ARRANGE, {"language": "en", **data}).status_code == 403
        assert (
            client.post(reverse("admin:articles_frontpageslot_pin", args=[quake.pk])).status_code
            == 403
        )
        assert list(FrontPageSlot.objects.values_list("article", "position")) == [(quake.pk, 0)]
        assert FrontPageChange.objects.count() == 1


class TestPinBreaking:
    def test_one_action_on_the_story_page_pins_it_as_lead_until_its_flag_ends(self, editor, quake):
        client = logged_in(editor)
        pin = reverse("admin:articles_frontpageslot_pin", args=[quake.pk])
        assert f'formaction="{pin}"' in client.get(change_url(quake)).content.decode()
        assert client.post(pin).status_code == 302
        slot = FrontPageSlot.objects.get()
        assert (slot.position, slot.article, slot.ends_at) == (0, quake, quake.breaking_until)
        assert FrontPageChange.objects.get().user == editor

    def test_a_story_that_is_not_breaking_is_not_pinned(self, editor):
        story = ArticleFactory()
        client = logged_in(editor)
        assert "formaction" not in client.get(change_url(story)).content.decode()
        client.post(reverse("admin:articles_frontpageslot_pin", args=[story.pk]))
        assert not FrontPageSlot.objects.exists()

    def test_journalists_see_no_front_page_field(self, journalist):
        story = ArticleFactory(created_by=journalist, draft=True)
        page = logged_in(journalist).get(change_url(story)).content.decode()
        assert "Pin as lead" not in page and "Not on the front page" not in page


def section_lead(client, slug="economics"):
    page = client.get(url("section", section=slug)).content.decode()
    return page.split('class="lead-story section-lead"', 1)[1].split("</section>", 1)[0]


class TestSectionLeads:
    @pytest.fixture
    def economics(self):
        return SectionFactory(name="Economics", slug="economics")

    @pytest.fixture
    def budget_story(self, economics):
        return ArticleFactory(
            headline="Budget passes first reading", section=economics,
            published_at=NOW - timedelta(hours=3),
        )  # fmt: skip

    def test_a_section_lead_stays_and_falls_back_when_it_ends(
        self, client, cached, editor, economics, budget_story
    ):
        with time_machine.travel(NOW, tick=False):
            front_page_place(article=budget_story, position=0, section=economics, user=editor,
                             ends_at=NOW + timedelta(minutes=30))  # fmt: skip
            ArticleFactory(headline="Inflation slows", section=economics, published_at=NOW)
            lead = section_lead(client)
            assert "Budget passes first reading" in lead and "Inflation slows" not in lead
            page = client.get(url("section", section="economics")).content.decode()
            main = page.split('id="main"', 1)[1].split("</main>", 1)[0]
            assert main.count("Budget passes first reading</a>") == 1  # not in the list too
            # The home page is arranged apart: its lead is still the newest story.
            assert "Inflation slows" in home_lead_headline(client)
        with time_machine.travel(NOW + timedelta(minutes=31), tick=False):
            assert "Inflation slows" in section_lead(client)

    def test_an_unpublished_section_lead_gives_way_to_the_latest(
        self, client, cached, editor, economics, budget_story
    ):
        ArticleFactory(headline="Inflation slows", section=economics)
        front_page_place(article=budget_story, position=0, section=economics, user=editor)
        assert "Budget passes" in section_lead(client)
        budget_story.status = Article.Status.UNPUBLISHED
        budget_story.save()
        assert "Inflation slows" in section_lead(client)

    def test_only_a_story_of_the_section_leads_it(self, editor, economics):
        with pytest.raises(ValidationError):
            front_page_place(article=ArticleFactory(), position=0, section=economics, user=editor)
        with pytest.raises(ValidationError):
            front_page_place(article=ArticleFactory(section=economics), position=1,
                             section=economics, user=editor)  # fmt: skip

    def test_arranged_on_the_same_screen_and_recorded(self, editor, economics, budget_story):
        client = logged_in(editor)
        client.post(ARRANGE, {"language": "en", "article": budget_story.pk, "position": 0})
        client.post(ARRANGE, {"language": "en", "article": budget_story.pk, "position": "section"})
        slots = FrontPageSlot.objects.values_list("section__slug", "position", "article")
        assert sorted(slots, key=str) == [("economics", 0, budget_story.pk),
                                          (None, 0, budget_story.pk)]  # fmt: skip
        page = client.get(ARRANGE, {"language": "en", "q": "budget"}).content.decode()
        assert "Section fronts: their leads" in page
        assert "Lead of Economics" in page and 'name="remove_section"' in page
        client.post(ARRANGE, {"language": "en", "remove_section": economics.pk})
        assert list(FrontPageSlot.objects.values_list("section", flat=True)) == [None]
        record = FrontPageChange.objects.order_by("pk").values_list("action", "section__slug")
        assert list(record) == [("placed", None), ("placed", "economics"),
                                ("removed", "economics")]  # fmt: skip
        assert FrontPageChange.objects.order_by("pk")[1].position_label == "Lead of Economics"

    def test_a_journalist_s_crafted_section_lead_post_is_refused(
        self, journalist, editor, economics, budget_story
    ):
        front_page_place(article=budget_story, position=0, section=economics, user=editor)
        client = logged_in(journalist)
        other = ArticleFactory(section=economics)
        for data in [{"article": other.pk, "position": "section"},
                     {"remove_section": economics.pk}]:  # fmt: skip
            assert client.post(ARRANGE, {"language": "en", **data}).status_code == 403
        assert list(FrontPageSlot.objects.values_list("article", flat=True)) == [budget_story.pk]

    @pytest.mark.parametrize("stories", [1, 30])
    def test_the_section_front_s_query_budget_is_fixed(
        self, client, django_assert_max_num_queries, editor, economics, stories
    ):
        made = [ArticleFactory(section=economics, lead_image=ImageFactory())
                for _ in range(stories)]  # fmt: skip
        front_page_place(article=made[0], position=0, section=economics, user=editor)
        warm_site_chrome(client)
        with django_assert_max_num_queries(LIST_PAGE_BUDGET + 1):
            response = client.get(url("section", section="economics"))
        assert response.context["lead"] == made[0]


def test_next_change_includes_the_end_of_a_slot(editor, quake):
    ends = NOW + timedelta(minutes=20)
    front_page_place(article=quake, position=1, user=editor, ends_at=ends)
    assert Article.objects.next_change_at() == ends


@pytest.mark.parametrize(("slots", "sections"), [(0, 1), (5, 8)])
def test_home_page_query_budget_is_fixed_whatever_the_slots_and_sections(
    client, django_assert_max_num_queries, editor, slots, sections
):
    stories = [
        ArticleFactory(section=SectionFactory(slug=f"s{n % sections}"), lead_image=ImageFactory())
        for n in range(12)
    ]
    for position, story in enumerate(stories[-slots:] if slots else []):
        front_page_place(article=story, position=position, user=editor)
        # Section fronts' leads too: the home page reads none of them.
        front_page_place(article=story, position=0, section=story.section, user=editor)
    warm_site_chrome(client)
    with django_assert_max_num_queries(HOME_PAGE_BUDGET):
        response = client.get(url("home"))
    assert len(response.context["top_stories"]) == 4
