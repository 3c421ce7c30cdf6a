"""Top-level URLs. Each app has its own ``urls.py`` with an ``app_name``."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("core.urls")),
    path("accounts/", include("accounts.urls")),
    path("customers/", include("contacts.urls")),
    path("notifications/", include("notifications.urls")),
    path("call-logs/", include("callogs.urls")),
    path("restrictions/", include("restrictions.urls")),
    path("welfare/", include("welfare.urls")),
    path("at-risk/", include("atrisk.urls")),
    path("audit/", include("audit.urls")),
    path("privacy/", include("privacy.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("documents/", include("documents.urls")),
    path("api/v1/", include("api.urls")),
    path("integrations/", include("api.urls_staff")),
    path("admin/", admin.site.urls),
]

handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
