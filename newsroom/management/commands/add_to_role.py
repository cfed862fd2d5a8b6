from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from core.roles import ROLES


class Command(BaseCommand):
    help = "Give a user a newsroom role (journalist, editor, moderator); makes them staff."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=sorted(ROLES))

    def handle(self, *args, username, role, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"No user named “{username}”.") from exc
        group_name, description = ROLES[role]
        user.groups.add(Group.objects.get(name=group_name))
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        self.stdout.write(self.style.SUCCESS(f"{username} is in {group_name}: {description}"))
