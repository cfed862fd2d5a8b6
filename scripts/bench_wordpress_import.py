#!/usr/bin/env python3
"""How long `manage.py import_wordpress` takes, and how much memory, for a generated export.

Writes a WXR export of BENCH_POSTS posts (default 10000) with BENCH_COMMENTS comments
(default 50000: some threaded three deep, some pending, spam and pingbacks) in 20
categories, then imports it with the management command in a child process, into the
database DATABASE_URL names, and prints the wall time, the child's CPU time (which a busy
machine moves less) and its peak resident memory. Run it at two sizes to see that memory
does not grow with the export (docs/performance.md, "Importing from WordPress"):

    export DATABASE_URL=sqlite:////tmp/wp-bench.sqlite3   # or postgres://...
    .venv/bin/python manage.py migrate --verbosity 0
    BENCH_POSTS=10000 BENCH_COMMENTS=50000 .venv/bin/python scripts/bench_wordpress_import.py

Start from an empty database each time (a second run measures the no-change re-import).
"""

# ruff: noqa: S603 (runs our own manage.py with fixed arguments)
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTS = int(os.environ.get("BENCH_POSTS", 10_000))
COMMENTS = int(os.environ.get("BENCH_COMMENTS", 50_000))
WP = "https://wordpress.org/export/1.2/"
PARAGRAPH = (
    "The council met on Tuesday to discuss the harbour, the budget and the new bridge. "
    "Residents asked questions for two hours, and the mayor promised answers by spring.\n\n"
)


def write_export(path):
    per_post, extra = divmod(COMMENTS, POSTS)
    comment_id = 0
    with path.open("w") as out:
        out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                  f'xmlns:excerpt="{WP}excerpt/" xmlns:content="http://purl.org/rss/1.0/'
                  f'modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
                  f'xmlns:wp="{WP}"><channel><title>Bench</title>'
                  "<link>https://bench.example.com</link><language>en-US</language>")  # fmt: skip
        for n in range(POSTS):
            out.write(
                f"<item><title>Story number {n}</title>"
                f"<link>https://bench.example.com/2015/03/{n % 28 + 1:02d}/story-{n}/</link>"
                f"<dc:creator>author{n % 40}</dc:creator>"
                f"<content:encoded><![CDATA[{PARAGRAPH * 6}"
                f'<a href="https://bench.example.com/?p={max(n - 1, 1)}">Earlier</a>]]>'
                "</content:encoded><excerpt:encoded></excerpt:encoded>"
                f"<wp:post_id>{n + 1}</wp:post_id>"
                "<wp:post_date_gmt>2015-03-01 10:00:00</wp:post_date_gmt>"
                f"<wp:post_name>story-{n}</wp:post_name><wp:status>publish</wp:status>"
                "<wp:post_type>post</wp:post_type>"
                f'<category domain="category" nicename="desk-{n % 20}">Desk {n % 20}</category>'
                f'<category domain="post_tag" nicename="tag-{n % 300}">Tag {n % 300}</category>'
            )
            first = comment_id + 1
            for k in range(per_post + (1 if n < extra else 0)):
                comment_id += 1
                parent = comment_id - 1 if k % 3 else 0
                state = ["1", "1", "1", "0", "spam"][k % 5]
                kind = "pingback" if k == 4 else ""
                out.write(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>Reader {k}</wp:comment_author>"
                    f"<wp:comment_author_email>r{k}@example.com</wp:comment_author_email>"
                    f"<wp:comment_date_gmt>2015-03-02 1{k % 10}:00:00</wp:comment_date_gmt>"
                    "<wp:comment_content>I was there, and it went as you say.</wp:comment_content>"
                    f"<wp:comment_approved>{state}</wp:comment_approved>"
                    f"<wp:comment_type>{kind}</wp:comment_type>"
                    f"<wp:comment_parent>{parent if parent >= first else 0}</wp:comment_parent>"
                    "</wp:comment>"
                )
            out.write("</item>")
        out.write("</channel></rss>")


def main():
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "export.xml"
        write_export(export)
        size = export.stat().st_size / 1024 / 1024
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "import_wordpress", str(export), "--verbosity", "0"],
            cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime
    print(f"{POSTS} posts, {COMMENTS} comments, {size:.0f} MB export: {seconds:.1f} s "
          f"(CPU {cpu:.1f} s), peak memory {usage.ru_maxrss / 1024:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
