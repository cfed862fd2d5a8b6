"""The newsroom's roles: Django groups created by ``newsroom/migrations/0002_roles.py``.

The migration holds the permissions each role gets (a migration must not depend on code
that changes later); this module gives the rest of the code the names.
"""

from django.utils.translation import gettext_lazy as _

JOURNALISTS = "Journalists"
EDITORS = "Editors"
MODERATORS = "Moderators"

ROLES = {
    "journalist": (JOURNALISTS, _("Write stories, edit their own drafts, submit for review.")),
    "editor": (EDITORS, _("Edit any story, publish, schedule, unpublish; manage the site.")),
    "moderator": (MODERATORS, _("Moderate reader reviews; no access to story editing.")),
}
