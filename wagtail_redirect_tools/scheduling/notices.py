"""The e-mail a window's creator gets a few days before the window expires."""

from __future__ import annotations

import logging

from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from wagtail.admin.mail import send_mail
from wagtail.admin.utils import get_admin_base_url
from wagtail.users.models import UserProfile

from ..models import ScheduledRedirect, UserNotificationPreferences

logger = logging.getLogger(__name__)

TEMPLATE_DIR = "wagtail_redirect_tools/notifications/"


def send_expiry_notice(window: ScheduledRedirect) -> bool:
    """E-mail the creator of ``window``; False when they cannot or do not want to be told."""
    user = window.created_by
    if user is None or not user.is_active or not user.email:
        return False
    if not UserNotificationPreferences.wants_expiry_notices(user):
        return False

    try:
        edit_url = reverse("scheduled_redirects:edit", args=[window.pk])
    except NoReverseMatch:  # the admin is not mounted in this project's URLs
        edit_url = ""
    context = {
        "window": window,
        "user": user,
        "edit_url": (get_admin_base_url() or "") + edit_url,
    }
    # In the creator's time zone and language, as Wagtail's own notifications are.
    profile = UserProfile.get_for_user(user)
    with (
        timezone.override(profile.get_current_time_zone()),
        translation.override(profile.get_preferred_language()),
    ):
        subject = render_to_string(TEMPLATE_DIR + "expiry_notice_subject.txt", context)
        body = render_to_string(TEMPLATE_DIR + "expiry_notice.txt", context)
    try:
        return bool(send_mail(" ".join(subject.split()), body, [user.email]))
    except OSError:
        logger.exception("Could not send the expiry notice for scheduled redirect %s", window.pk)
        return False
