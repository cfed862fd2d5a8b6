"""What the browser journeys share: screen sizes, the seed story, and logging in as a
person does."""

import re

from playwright.sync_api import expect

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SEED_HEADLINE = "Restoring hope: Presidents inspect reconstruction efforts in Fizuli"
EDITOR_PASSWORD = "correct horse battery staple"  # StaffFactory's password.


def log_in(page, username, password):
    """Log in as a person does: through the admin's login form."""
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
