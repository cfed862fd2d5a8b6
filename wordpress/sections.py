"""Which section a WordPress post goes to: its primary (first) category's top-level
ancestor, or where ``--section-map`` sends it, made on first use.

Only top-level categories become sections, so a deep category tree does not explode into
dozens of sections; the other categories become tags (``writer.StoryWriter``).
"""

from articles.models import Section
from articles.models.sections import RESERVED_SECTION_SLUGS
from articles.text import slug_from_headline, unique_slug

FALLBACK = ("archive", "Archive")


class SectionPlanner:
    def __init__(self, *, channel, section_map):
        self.channel, self.section_map = channel, section_map
        self.by_slug = {section.slug: section for section in Section.objects.all()}
        self.by_category = {}

    def section_for(self, item):
        """The section of a post or page; None for a page the map gives no section."""
        if item.post_type == "page":
            target = self.section_map.get("page")
            return self.named(target, target) if target else None
        category = item.categories[0] if item.categories else None
        if category is None:
            return self.named(*FALLBACK)
        nicename, name = category
        nicename = nicename or slug_from_headline(name)
        if nicename not in self.by_category:
            top = self.top_level(nicename)
            target = self.section_map.get(nicename) or self.section_map.get(top)
            if target:
                self.by_category[nicename] = self.named(target, target)
            else:
                top_name = self.channel.categories.get(top, (name, ""))[0]
                self.by_category[nicename] = self.named(top, top_name)
        return self.by_category[nicename]

    def top_level(self, nicename):
        seen = set()
        while nicename not in seen:
            seen.add(nicename)
            parent = self.channel.categories.get(nicename, ("", ""))[1]
            if not parent:
                break
            nicename = parent
        return nicename

    def named(self, slug, name):
        """The section with ``slug`` (kept when it is a valid section slug), made if
        missing; an unusable slug (reserved, or not ASCII) is made again from the name."""
        if slug in self.by_slug:
            return self.by_slug[slug]
        clean = slug_from_headline(slug)[:80]
        if clean != slug or clean in RESERVED_SECTION_SLUGS:
            clean = unique_slug(clean or slug_from_headline(name) or "section",
                                lambda s: s in RESERVED_SECTION_SLUGS)  # fmt: skip
        section = self.by_slug.get(clean)
        if section is None:
            section = Section.objects.create(name=name[:80] or clean, slug=clean)
            self.by_slug[clean] = section
        self.by_slug[slug] = section
        return section
