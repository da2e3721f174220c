from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailRedirectToolsAppConfig(AppConfig):
    name = "wagtail_redirect_tools"
    label = "wagtail_redirect_tools"
    verbose_name = _("Wagtail redirect tools")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks
        from wagtail.admin.active_filters import register_filter_adapter_class

        from .admin.views.move_filter import MoveFilter, MoveFilterAdapter
        from .checks import (
            check_deployment_mode,
            check_installed_apps,
            check_middleware,
            check_settings,
        )
        from .database import arrays
        from .database.collation import register_lookups
        from .signal_handlers import register_signal_handlers

        register_filter_adapter_class(MoveFilter, MoveFilterAdapter)
        checks.register(check_installed_apps)
        checks.register(check_middleware)
        checks.register(check_settings)
        checks.register(check_deployment_mode)
        register_signal_handlers()
        register_lookups()
        arrays.register_lookups()
        try:  # Wagtail 8's v3 API; Wagtail 7.4 has none
            from .api import v3
        except ImportError:
            pass
        else:
            v3.register()
