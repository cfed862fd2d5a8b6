from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_is_set(app_configs, **kwargs):
    """Production needs a SECRET_KEY from the environment, not the per-process stand-in."""
    if settings.SECRET_KEY_MISSING:
        return [
            Error(
                "SECRET_KEY is not set in the environment.",
                hint="Set SECRET_KEY to a long random value; the site will not serve without it.",
                id="newsroom.E001",
            )
        ]
    return []
