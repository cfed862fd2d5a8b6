"""Newsroom staff in their roles (the groups come from newsroom/migrations/0002_roles.py)."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tests.factories import StaffFactory


def staff_in_role(username, group):
    user = StaffFactory(username=username, first_name=username.title())
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def journalist():
    return staff_in_role("jana", "Journalists")


@pytest.fixture
def other_journalist():
    return staff_in_role("oleg", "Journalists")


@pytest.fixture
def editor():
    return staff_in_role("edith", "Editors")


@pytest.fixture
def second_editor():
    return staff_in_role("emil", "Editors")


@pytest.fixture
def moderator():
    return staff_in_role("mona", "Moderators")


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client
