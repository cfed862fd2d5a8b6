"""Small WXR exports written by the tests, one case each (the two real exports in
tests/data/wordpress are too tidy for most rules)."""

from xml.sax.saxutils import escape


def cdata(text):
    return f"<![CDATA[{text}]]>"


def comment(wp_id, *, parent=0, approved="1", kind="", email="reader@example.com",
            body="A comment.", author="Reader", date="2020-01-02 10:00:00"):  # fmt: skip
    return f"""
    <wp:comment>
      <wp:comment_id>{wp_id}</wp:comment_id>
      <wp:comment_author>{cdata(author)}</wp:comment_author>
      <wp:comment_author_email>{cdata(email)}</wp:comment_author_email>
      <wp:comment_date_gmt>{date}</wp:comment_date_gmt>
      <wp:comment_content>{cdata(body)}</wp:comment_content>
      <wp:comment_approved>{cdata(approved)}</wp:comment_approved>
      <wp:comment_type>{cdata(kind)}</wp:comment_type>
      <wp:comment_parent>{parent}</wp:comment_parent>
    </wp:comment>"""


def item(wp_id, *, title="A post", content="<p>Some text.</p>", excerpt="", status="publish",
         post_type="post", slug=None, link=None, date="2020-01-01 12:00:00", password="",
         creator="jdoe", categories=(("news", "News"),), tags=(), meta=(), comments=(),
         attachment_url=""):  # fmt: skip
    slug = f"post-{wp_id}" if slug is None else slug
    link = f"https://old.example.com/{slug}/" if link is None else link
    terms = "".join(
        f'<category domain="category" nicename="{n}">{cdata(name)}</category>'
        for n, name in categories
    ) + "".join(
        f'<category domain="post_tag" nicename="{n}">{cdata(name)}</category>' for n, name in tags
    )
    metas = "".join(
        f"<wp:postmeta><wp:meta_key>{k}</wp:meta_key><wp:meta_value>{cdata(v)}</wp:meta_value>"
        "</wp:postmeta>"
        for k, v in meta
    )
    return f"""
  <item>
    <title>{escape(title)}</title>
    <link>{escape(link)}</link>
    <dc:creator>{cdata(creator)}</dc:creator>
    <content:encoded>{cdata(content)}</content:encoded>
    <excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>
    <wp:post_id>{wp_id}</wp:post_id>
    <wp:post_date_gmt>{date}</wp:post_date_gmt>
    <wp:post_name>{cdata(slug)}</wp:post_name>
    <wp:status>{cdata(status)}</wp:status>
    <wp:post_type>{cdata(post_type)}</wp:post_type>
    <wp:post_password>{cdata(password)}</wp:post_password>
    <wp:attachment_url>{cdata(attachment_url)}</wp:attachment_url>
    {terms}{metas}{"".join(comments)}
  </item>"""


def export(*items, scheme="https", version="1.2", language="en-US", categories=""):
    wp = f"{scheme}://wordpress.org/export/{version}/"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="{wp}excerpt/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{wp}">
<channel>
  <title>Old Site</title>
  <link>https://old.example.com</link>
  <language>{language}</language>
  <wp:wxr_version>{version}</wp:wxr_version>
  <wp:author><wp:author_login>{cdata("jdoe")}</wp:author_login>
    <wp:author_display_name>{cdata("Jane Doe")}</wp:author_display_name></wp:author>
  {categories}
  {"".join(items)}
</channel>
</rss>"""


def category(nicename, name, parent=""):
    return (f"<wp:category><wp:category_nicename>{nicename}</wp:category_nicename>"
            f"<wp:category_parent>{parent}</wp:category_parent>"
            f"<wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>")  # fmt: skip
