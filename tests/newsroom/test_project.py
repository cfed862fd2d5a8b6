"""Project-wide guarantees: migrations, settings, the deprecated editor kept out."""

import importlib.util
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_deprecated_ckeditor4_package_is_not_installed():
    """django-ckeditor bundles CKEditor 4 (end of life, unfixed security issues)."""
    assert importlib.util.find_spec("ckeditor") is None
    assert importlib.util.find_spec("django_ckeditor_5") is not None


PRODUCTION = "newsroom.settings.base"


def run_settings(env, code="import django; django.setup()"):
    return subprocess.run(  # noqa: S603 (our own fixed snippets)
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": PRODUCTION, **env},
        capture_output=True,
        text=True,
        check=False,
    )


SERVE = "import newsroom.wsgi"


def test_production_refuses_to_start_without_secret_key():
    result = run_settings({"DEBUG": "0"}, SERVE)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_starts_with_secret_key():
    assert run_settings({"DEBUG": "0", "SECRET_KEY": "x" * 50}, SERVE).returncode == 0


def test_offline_commands_work_without_secret_key():
    """check and makemigrations need no secret, so a bare checkout can run them."""
    result = run_settings({"DEBUG": "0"}, "import django; django.setup()")
    assert result.returncode == 0, result.stderr


def test_deploy_check_fails_without_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": PRODUCTION},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "newsroom.E001" in result.stderr


def test_debug_starts_without_secret_key():
    assert run_settings({"DEBUG": "1"}).returncode == 0


def test_settings_paths_point_at_the_project_root(settings):
    """``newsroom/settings/base.py`` sits one folder deeper than the old ``settings.py``:
    BASE_DIR must still be the folder with manage.py, templates/, static/ and locale/."""
    assert Path(settings.BASE_DIR) == ROOT
    assert (ROOT / "manage.py").is_file()
    assert Path(settings.TEMPLATES[0]["DIRS"][0]) == ROOT / "templates"
    assert [Path(path) for path in settings.LOCALE_PATHS] == [ROOT / "locale"]


def test_test_settings_extend_the_base_settings(settings):
    """The suite runs ``newsroom.settings.test``: ``base`` plus a fast hasher and locmem cache."""
    from newsroom.settings import base

    assert settings.SETTINGS_MODULE == "newsroom.settings.test"
    assert settings.INSTALLED_APPS == base.INSTALLED_APPS
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
