"""Users with exactly the permissions a test gives them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission


def make_user(username: str, *codenames: str, page: Any = None) -> Any:
    """A user with admin access, the given model permissions, and edit rights on ``page``."""
    user = get_user_model().objects.create_user(username=username, password="pw")
    group = Group.objects.create(name=f"{username} group")
    codenames = ("access_admin", *codenames)
    group.permissions.set(Permission.objects.filter(codename__in=codenames))
    if page is not None:
        GroupPagePermission.objects.create(group=group, page=page, permission_type="change")
    user.groups.add(group)
    return user
