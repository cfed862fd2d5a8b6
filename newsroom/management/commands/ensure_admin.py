import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Make sure an administrator account exists. A new one gets a random password, "
        "printed once; an existing one is left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/")

    def handle(self, *args, username, url, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            admin = User.objects.filter(is_superuser=True).order_by("pk").first()
            self.stdout.write(
                f"Admin: {url} — log in as “{admin.get_username()}”. Forgot the password? "
                f"Run: .venv/bin/python manage.py changepassword {admin.get_username()}"
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin: {url} — log in as “{username}” with password: {password} (shown "
                f"only this once; change it with .venv/bin/python manage.py changepassword "
                f"{username})"
            )
        )
