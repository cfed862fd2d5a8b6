"""The demo content files (demo/data/*.json) hold together: every reference resolves."""

from articles.models import Article, RelatedLink
from comments.models import BlockedTerm, Comment
from demo import content


def test_every_story_points_at_sections_contributors_and_stories_that_exist():
    data = content.read("newsroom")
    sections = {section["slug"] for section in data["sections"]}
    contributors = {person["slug"] for person in data["contributors"]}
    keys = [story["key"] for story in data["stories"]]
    assert len(keys) == len(set(keys)), "story keys are unique"
    for story in data["stories"]:
        assert story["section"] in sections, story["key"]
        assert story["language"] in {"en", "ru", "az"}, story["key"]
        assert story.get("status", "published") in {"published", "scheduled", "draft"}
        assert {credit["contributor"] for credit in story["byline"]} <= contributors
        assert set(story.get("related", [])) <= set(keys), story["key"]
        for link in story.get("related_external", []):
            assert link["kind"] in RelatedLink.Kind.values and link["url"].startswith("https://")
        for correction in story.get("corrections", []):
            assert correction["text"]


def test_reviews_use_the_models_choices_and_every_language_has_a_reply():
    data = content.read("reviews")
    assert (
        set(data["reviews"])
        == set(data["newsroom_reply"])
        <= {code for code, _name in Article._meta.get_field("language").choices}
    )
    for reviews in data["reviews"].values():
        assert {review["status"] for review in reviews} <= set(Comment.Status.values)
    assert {term["action"] for term in data["blocked_terms"]} <= set(BlockedTerm.Action.values)


def test_the_privacy_page_says_newsletter_opens_are_counted_only_if_turned_on():
    """Newsletters count no opens unless an editor turns it on (newsletters.Newsletter
    .count_opens); each language's privacy page says so."""
    says = {"en": "unless an editor turns it on", "ru": "если редактор не включил",
            "az": "Redaktor bülleten üçün bunu açmayıbsa"}  # fmt: skip
    privacy = [page for page in content.read("pages")["pages"] if page["kind"] == "privacy"]
    assert {page["language"] for page in privacy} == set(says)
    for page in privacy:
        text = " ".join(p for section in page["sections"] for p in section["paragraphs"])
        assert says[page["language"]] in text, page["language"]
