import json

import pytest
from django.core.management import CommandError, call_command

from newsletters.models import Bounce, Subscriber
from newsletters.services import bounce_record

from .conftest import subscribed

pytestmark = pytest.mark.django_db


def test_export_then_erase_every_subscription_of_an_address(briefing, capsys):
    subscribed(briefing, "ana@example.com")
    subscribed(briefing, "bo@example.com")
    bounce_record(email="ana@example.com", kind="soft")
    call_command("gdpr_newsletters", "export", "ANA@example.com")
    [row] = json.loads(capsys.readouterr().out)
    assert row["email"] == "ana@example.com" and row["status"] == "confirmed"
    with pytest.raises(CommandError):
        call_command("gdpr_newsletters", "erase", "ana@example.com")
    call_command("gdpr_newsletters", "erase", "ana@example.com", "--yes")
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["bo@example.com"]
    assert not Bounce.objects.exists()  # The provider's reports of it are personal data too.
