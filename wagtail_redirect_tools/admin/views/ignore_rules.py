"""The editors' 404 ignore rules: a listing with add, edit and delete (Wagtail's
ModelViewSet), for those who may add, change or delete redirects."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, UserColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

try:
    from wagtail.permissions import register_permission_policy
except ImportError:  # Wagtail 7.4: a viewset names its policy itself
    register_permission_policy = None

from ...editing.permissions import redirect_policy
from ...not_found.models import NotFoundIgnoreRule


class IgnoreRuleIndexView(IndexView):
    """Listed for those who may add, change or delete redirects: not for "view" alone,
    which Wagtail's generic listing would accept."""

    any_permission_required = ["add", "change", "delete"]


class IgnoreRuleViewSet(ModelViewSet):
    model = NotFoundIgnoreRule
    index_view_class = IgnoreRuleIndexView
    icon = "warning"
    menu_label = _("404 ignore rules")
    add_to_admin_menu = False
    form_fields = ["match", "pattern"]
    list_display = [
        Column("match", label=_("Match"), accessor="get_match_display"),
        "pattern",
        DateColumn("created_at", label=_("Created at")),
        UserColumn("created_by", label=_("Created by")),
    ]
    copy_view_enabled = False
    inspect_view_enabled = False


# Rules hide paths from everyone who may fix them: the permissions on redirects decide.
if register_permission_policy is not None:
    register_permission_policy(NotFoundIgnoreRule, redirect_policy)
else:
    IgnoreRuleViewSet.permission_policy = redirect_policy
ignore_rule_viewset = IgnoreRuleViewSet("not_found_ignore_rules")
