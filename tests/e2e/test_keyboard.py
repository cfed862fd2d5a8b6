"""Journey 6, a reader with only a keyboard: the skip link comes first and moves focus to
the content, Tab reaches the section navigation, and whatever has focus shows it."""

from playwright.sync_api import expect

# The focused element's outline and box-shadow, then the same once focus leaves it.
FOCUS_RING = """() => {
  const element = document.activeElement;
  const ring = () => {
    const style = getComputedStyle(element);
    return {outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
            outlineColor: style.outlineColor, boxShadow: style.boxShadow};
  };
  const focused = ring();
  element.blur();
  const unfocused = ring();
  element.focus();
  return {focused, unfocused, element: element.outerHTML.slice(0, 200)};
}"""


def focused(page):
    return page.locator("*:focus")


def assert_focus_is_visible(page):
    """The focused element has a ring (an outline of 2px or more, or a box-shadow) that it
    does not have once focus leaves it."""
    ring = page.evaluate(FOCUS_RING)
    focused, unfocused = ring["focused"], ring["unfocused"]
    has_ring = (focused["outlineStyle"] != "none" and focused["outlineWidth"] >= 2) or focused[
        "boxShadow"
    ] != "none"
    assert has_ring, f"no focus ring on {ring['element']}"
    assert focused != unfocused, f"focus does not change how {ring['element']} looks"


def test_skip_link_comes_first_and_moves_focus_to_main_content(page, demo_newsroom, screenshot):
    page.goto("/en/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    assert_focus_is_visible(page)
    screenshot(page, "skip-link")

    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    # The next Tab continues inside the content, past the header and navigation.
    page.keyboard.press("Tab")
    assert focused(page).evaluate("el => el.closest('main') !== null")


def tab_to(page, target, limit):
    """Press Tab until focus is on or inside ``target``, checking at every stop that the
    focus can be seen; fail after ``limit`` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert_focus_is_visible(page)
        if target.evaluate("el => el.contains(document.activeElement)"):
            return
    raise AssertionError(f"{limit} presses of Tab did not reach {target}")


def test_tab_reaches_section_navigation_with_a_visible_focus_on_the_way(
    page, demo_newsroom, screenshot
):
    page.goto("/en/")
    navigation = page.get_by_role("navigation", name="Sections")
    # Skip link, site name, the search box and its button, three languages, then the
    # navigation.
    tab_to(page, navigation, limit=8)
    screenshot(page, "navigation-focused")

    # On to a section, opened with Enter.
    tab_to(page, navigation.get_by_role("link", name="Economics"), limit=5)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Economics")
