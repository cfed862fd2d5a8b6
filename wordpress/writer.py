"""Writing a batch of planned stories in bulk: the stories, their reporter bylines, tags,
old addresses (``ArticleRedirect`` for Newsroom's own, ``OldAddress`` for WordPress's)
and the record of what each became.

``bulk_create`` skips ``Article.save()``, so what it would do is done here: the body is
sanitised by ``content.BodyConverter``, slugs are planned unique, the current address is
remembered, and the import rebuilds the search index and the caches once at the end.
"""

from django.contrib.contenttypes.models import ContentType
from slugify import slugify
from taggit.models import Tag, TaggedItem

from articles.models import Article, ArticleRedirect, Byline, Contributor

from .models import ImportedStory, OldAddress

UPDATED_FIELDS = ["headline", "lead", "body", "status", "published_at", "lead_image", "version"]


class StoryWriter:
    def __init__(self, *, site, language, authors, report):
        self.site, self.language, self.authors, self.report = site, language, authors, report
        self.contributors = {}
        self.tags = {}
        self.content_type = ContentType.objects.get_for_model(Article)

    def write(self, stories, reviews):
        """Write ``stories`` (``importer.Story``) and queue their reviews on ``reviews``;
        returns the ids of the stories created or updated."""
        new, changed, written = [], [], []
        for story in stories:
            record = story.plan.record
            if record is None:
                new.append(story)
            elif record.source_hash == story.hash:
                self.report.count("stories unchanged")
                written.append((story, record.article, False))
            elif record.article.version != record.version:
                self.report.note(story.item.wp_id, "changed in WordPress but edited in "
                                 "Newsroom since the last import: kept as edited")  # fmt: skip
                written.append((story, record.article, False))
            else:
                changed.append(story)
        created = self.create(new)
        updated = self.update(changed)
        written += [(s, a, True) for s, a in created + updated]
        self.write_addresses([(s, a) for s, a, _fresh in written])
        for story, article, _fresh in written:
            reviews.add(article, story.item.comments, hidden=bool(story.item.password))
        reviews.flush()
        return [article.pk for _s, article, fresh in written if fresh]

    def create(self, stories):
        articles = Article.objects.bulk_create(
            Article(
                language=self.language,
                headline=s.headline,
                slug=s.plan.slug,
                lead=s.lead,
                body=s.body,
                section=s.plan.section,
                status=s.status,
                published_at=s.published_at,
                lead_image=s.lead_image,
            )
            for s in stories
        )
        pairs = list(zip(stories, articles, strict=True))
        ImportedStory.objects.bulk_create(
            ImportedStory(
                site=self.site,
                wp_id=s.item.wp_id,
                article=a,
                source_hash=s.hash,
                version=a.version,
            )
            for s, a in pairs
        )
        self.write_bylines(pairs)
        self.write_tags(pairs, replace=False)
        self.report.count("stories imported", len(pairs))
        return pairs

    def update(self, stories):
        pairs = []
        for s in stories:
            article = s.plan.record.article
            article.headline, article.lead, article.body = s.headline, s.lead, s.body
            article.status, article.published_at = s.status, s.published_at
            article.lead_image, article.version = s.lead_image, article.version + 1
            s.plan.record.source_hash, s.plan.record.version = s.hash, article.version
            pairs.append((s, article))
        Article.objects.bulk_update([a for _s, a in pairs], UPDATED_FIELDS)
        ImportedStory.objects.bulk_update(
            [s.plan.record for s, _a in pairs], ["source_hash", "version"]
        )
        self.write_tags(pairs, replace=True)
        self.report.count("stories updated", len(pairs))
        return pairs

    def write_bylines(self, pairs):
        Byline.objects.bulk_create(
            Byline(
                article=article,
                contributor=self.contributor(story.item.creator),
                role=Byline.Role.REPORTER,
            )
            for story, article in pairs
            if story.item.creator
        )

    def contributor(self, login):
        """The contributor for a WordPress author login, by its normalised slug; named
        as the export's author list names them."""
        slug = slugify(login)[:120] or "wordpress-author"
        if slug not in self.contributors:
            name = self.authors.get(login, login)[:120]
            self.contributors[slug] = Contributor.objects.get_or_create(
                slug=slug, defaults={"name": name}
            )[0]
        return self.contributors[slug]

    def write_tags(self, pairs, *, replace):
        if replace:
            TaggedItem.objects.filter(
                content_type=self.content_type, object_id__in=[a.pk for _s, a in pairs]
            ).delete()
        rows = {}
        for story, article in pairs:
            names = [name for _nicename, name in story.item.categories[1:]]
            names += [name for _nicename, name in story.item.tags]
            for name in names:
                tag = self.tag(name)
                if tag is not None:
                    rows[(article.pk, tag.pk)] = TaggedItem(
                        content_type=self.content_type, object_id=article.pk, tag=tag
                    )
        TaggedItem.objects.bulk_create(rows.values())

    def tag(self, name):
        name = " ".join(name.split())[:100]
        if not name:
            return None
        key = name.lower()
        if key not in self.tags:
            found = Tag.objects.filter(name__iexact=name).first()
            self.tags[key] = found or Tag.objects.create(name=name)
        return self.tags[key]

    def write_addresses(self, pairs):
        """The story's current address in Newsroom's own record, and every WordPress
        address of it; a path another story held before now leads to this one."""
        public = [(s, a) for s, a in pairs if a.status == Article.Status.PUBLISHED]
        ArticleRedirect.objects.bulk_create(
            [
                ArticleRedirect(
                    language=a.language, section_slug=a.section.slug, slug=a.slug, article=a
                )
                for _s, a in public
            ],
            update_conflicts=True,
            unique_fields=["language", "section_slug", "slug"],
            update_fields=["article"],
        )
        addresses = {
            path: OldAddress(path=path[:500], article=a) for s, a in pairs for path in s.old_paths
        }
        OldAddress.objects.bulk_create(
            addresses.values(),
            update_conflicts=True,
            unique_fields=["path"],
            update_fields=["article"],
        )
        self.report.count("old addresses", len(addresses))
