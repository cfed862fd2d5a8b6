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
TABS_TO_NAVIGATION = 10


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


def test_tab_reaches_section_navigation_with_a_visible_focus_on_the_way(
    page, demo_newsroom, screenshot
):
    page.goto("/en/")
    navigation = page.get_by_role("navigation", name="Sections")
    for _ in range(TABS_TO_NAVIGATION):
        page.keyboard.press("Tab")
        assert_focus_is_visible(page)
        if navigation.locator("*:focus").count():
            break
    else:
        raise AssertionError(f"{TABS_TO_NAVIGATION} Tabs did not reach the section navigation")
    screenshot(page, "navigation-focused")

    # Tab on to a section and open it with Enter.
    while focused(page).inner_text() != "Economics":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Economics")
