"""Browser journeys: Playwright (sync API) drives Debian's Chromium against a live server.

Every test here gets a live server (pytest-django's ``live_server``, which serves static
and media files too) over an empty database that is flushed after the test
(``transactional_db``): the server answers from its own thread, so data must be
committed for it to see it. ``demo_newsroom`` fills that database with ``load_demo``.
The first one puts back what the data migrations wrote if a transactional test before it
flushed it away (``ensure_migrations_data``).
"""

import io
import itertools
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from articles.models import Article
from tests.factories import SuperuserFactory
from tests.helpers import ensure_migrations_data, ensure_permissions

from .browser import DESKTOP, EDITOR_PASSWORD, PHONE, SEED_HEADLINE, log_in
from .chromium import (
    CHROMIUM,
    CHROMIUM_ARGS,
    MISSING_REASON,
    browser_tests_required,
    chromium_installed,
)

E2E_DIR = Path(__file__).resolve().parent
ARTIFACTS = E2E_DIR.parents[1] / "test-artifacts"
PAGES = pytest.StashKey[dict]()
NOT_RUN = pytest.StashKey[int]()
# A full-page screenshot does not scroll, so lazy pictures below the fold would show as
# empty boxes: load and decode them all first (decode() waits for the load).
LOAD_ALL_IMAGES = """async () => {
  const images = [...document.images];
  images.forEach(image => { image.loading = "eager"; });
  await Promise.all(images.map(image => image.decode().catch(() => null)));
}"""


def artifact_folder(item):
    """test-artifacts/<module>--<test>[-<params>]/, from the test's node id."""
    name = item.nodeid.removeprefix("tests/e2e/").replace(".py::", "--")
    return ARTIFACTS / re.sub(r"[^\w.-]+", "-", name).strip("-")


def pytest_collection_modifyitems(config, items):
    """Without Chromium, leave the browser tests out and say so once (see the summary)."""
    if chromium_installed() or browser_tests_required():
        return
    browser_tests = [item for item in items if item.path.is_relative_to(E2E_DIR)]
    if browser_tests:
        items[:] = [item for item in items if item not in browser_tests]
        config.hook.pytest_deselected(items=browser_tests)
        config.stash[NOT_RUN] = len(browser_tests)


def pytest_terminal_summary(terminalreporter, config):
    if config.stash.get(NOT_RUN, 0):
        terminalreporter.write_line(
            f"browser tests: {config.stash[NOT_RUN]} not run: {MISSING_REASON}", yellow=True
        )


@pytest.fixture(scope="package", autouse=True)
def chromium():
    """Where Chromium must run (E2E_REQUIRED=1, as in CI), its absence fails every test."""
    if not chromium_installed():
        pytest.fail(f"{MISSING_REASON} (E2E_REQUIRED is set)", pytrace=False)
    return CHROMIUM


@pytest.fixture(scope="package")
def browser(chromium):
    """One Chromium for all the browser tests, stopped before the rest of the suite runs.

    Playwright's sync API runs an asyncio event loop in the main thread from start to
    stop (``asyncio.get_running_loop()`` finds it between calls). Django then refuses ORM
    calls from that thread (factories, ``load_demo``, the flush after each test) with
    SynchronousOnlyOperation, because in a real event loop they would block other tasks.
    Here the loop only turns inside a Playwright call and is parked (in a greenlet) while
    the test's own code runs, so nothing waits on a blocking query and
    DJANGO_ALLOW_ASYNC_UNSAFE is safe. It is set only while Playwright runs, so the check
    keeps guarding the rest of the suite.
    """
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(request, browser, live_server):
    """Open a page in a fresh browser context (no cookies) of the given viewport size.

    Pages are remembered on the test so that a failure can save what they showed.
    """
    contexts = []

    def open_new(name, viewport, **options):
        """``options`` go to the browser context, e.g. ``java_script_enabled=False``."""
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            locale="en-GB",
            timezone_id="Asia/Baku",
            **options,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        request.node.stash.setdefault(PAGES, {})[name] = page
        return page

    yield open_new
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page):
    """A desktop browser page (1280×800); ``page.goto("/en/")`` is relative to the live server."""
    return open_page("desktop", DESKTOP)


@pytest.fixture
def phone_page(open_page):
    """A phone-sized page (390×844)."""
    return open_page("phone", PHONE)


@pytest.fixture
def editor(demo_newsroom):
    """A superuser, made after the demo newsroom so that the demo's dump never holds it."""
    return SuperuserFactory(username="eda", first_name="Eda", last_name="Editor")


@pytest.fixture
def editor_page(open_page, editor):
    """A desktop page logged into the admin as an editor (a superuser until roles arrive)."""
    page = open_page("editor", DESKTOP)
    log_in(page, editor.username, EDITOR_PASSWORD)
    return page


@pytest.fixture(scope="session")
def demo_dump(tmp_path_factory):
    return tmp_path_factory.mktemp("demo") / "demo-newsroom.json"


@pytest.fixture
def demo_newsroom(transactional_db, demo_dump):
    """The demo newsroom of ``manage.py load_demo``.

    Drawing its fifty pictures takes seconds and every test starts from an empty
    database, so the first test loads it for real and keeps a dump; later tests load the
    dump (the picture files stay in MEDIA_ROOT for the whole run).
    """
    if demo_dump.exists():
        ensure_permissions()
        call_command("loaddata", demo_dump, verbosity=0)
        # Fixtures load rows raw, without the saves that write the search index.
        call_command("rebuild_search_index", stdout=io.StringIO())
        ensure_migrations_data()
    else:
        ensure_migrations_data()
        call_command("load_demo", stdout=io.StringIO())
        call_command(
            "dumpdata",
            # Stories belong to the demo's staff users, and their first revisions too.
            "auth.group",
            "auth.user",
            "articles",
            "newsroom",
            "newsletters",
            "taggit",
            "reversion",
            natural_foreign=True,
            output=demo_dump,
            verbosity=0,
        )


@pytest.fixture
def seed_story(demo_newsroom):
    """The seed story (Economics), whose related video is a Russian programme episode."""
    return Article.objects.get(language="en", headline=SEED_HEADLINE)


@pytest.fixture(autouse=True)
def artifacts(request):
    """This test's folder in test-artifacts/, emptied of an earlier run's pictures."""
    folder = artifact_folder(request.node)
    shutil.rmtree(folder, ignore_errors=True)
    return folder


@pytest.fixture
def screenshot(artifacts):
    """``screenshot(page, "story")`` saves test-artifacts/<test>/<NN>-story.png (full page)."""
    steps = itertools.count(1)

    def screenshot(page, step):
        page.evaluate(LOAD_ALL_IMAGES)
        path = artifacts / f"{next(steps):02d}-{step}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return screenshot


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """When a browser test fails, keep what each of its pages showed: a full-page
    screenshot and the HTML, as test-artifacts/<test>/failure-<page>.png and .html."""
    report = yield
    pages = item.stash.get(PAGES, {})
    if report.failed and pages:
        folder = artifact_folder(item)
        folder.mkdir(parents=True, exist_ok=True)
        for name, page in pages.items():
            if page.is_closed():
                continue
            try:
                page.screenshot(path=folder / f"failure-{name}.png", full_page=True)
                (folder / f"failure-{name}.html").write_text(page.content(), encoding="utf-8")
            except PlaywrightError as error:  # A crashed page must not hide the failure.
                report.sections.append(("browser", f"{name} page not saved: {error}"))
            else:
                report.sections.append(("browser", f"{name} page ({page.url}) saved in {folder}"))
    return report
