from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig, apps
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPConfig
from django_tasks_db.apps import TasksAppConfig
from taggit.apps import TaggitAppConfig

from core.text import strip_text_fields

# The apps whose rows hold text people type: the project's own and taggit's tags. A new
# feature app (newsletters, the importer) joins this list.
TYPED_TEXT_APPS = ["taggit", "articles", "comments", "newsroom"]


class NewsroomConfig(AppConfig):
    # The one of this module's configs Django picks for "newsroom" (the others rename
    # libraries, below).
    default = True
    name = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy check)

        # No control character reaches the database, whichever way a row is saved
        # (core/text.py says why: feeds and sitemaps are XML).
        for label in TYPED_TEXT_APPS:
            for model in apps.get_app_config(label).get_models():
                pre_save.connect(
                    strip_text_fields, sender=model, dispatch_uid=f"strip-text:{model._meta.label}"
                )


# The libraries' admin sections, in the newsroom's words and languages: their own names
# ("AXES", "OTP_TOTP", "TAGGIT", "Tasks Database Backend") say nothing to an editor, and
# some are not translatable at all. Listed in INSTALLED_APPS in place of the libraries' own
# configs; the labels (and so every address and table) stay the libraries'. Model names are
# set on ``_meta`` only, not in the models' options, so no migration sees a change.


def _rename_models(config, names):
    for model_name, (singular, plural) in names.items():
        meta = config.get_model(model_name)._meta
        meta.verbose_name, meta.verbose_name_plural = singular, plural


class LoginSecurityConfig(AxesAppConfig):
    verbose_name = _("Login security")

    def ready(self):
        super().ready()
        _rename_models(self, {
            "AccessAttempt": (_("locked-out login"), _("locked-out logins")),
            "AccessFailureLog": (_("failed login"), _("failed logins")),
            "AccessLog": (_("login record"), _("login history")),
        })  # fmt: skip


class TwoFactorConfig(TOTPConfig):
    verbose_name = _("Two-factor login")

    def ready(self):
        super().ready()
        _rename_models(self, {"TOTPDevice": (_("authenticator app"), _("authenticator apps"))})


class TagsConfig(TaggitAppConfig):
    verbose_name = _("Tags")


class BackgroundTasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")

    def ready(self):
        super().ready()
        _rename_models(self, {"DBTaskResult": (_("task run"), _("task runs"))})
