"""Staff pages of the integration (signed in): clients, API docs, screen-pop."""

from django.urls import path

from api import views_schema, views_staff

app_name = "integrations"

urlpatterns = [
    path("clients/", views_staff.client_list, name="client_list"),
    path("clients/new/", views_staff.client_register, name="client_register"),
    path("clients/<int:pk>/", views_staff.client_detail, name="client_detail"),
    path("clients/<int:pk>/rotate/", views_staff.client_rotate, name="client_rotate"),
    path("clients/<int:pk>/revoke/", views_staff.client_revoke, name="client_revoke"),
    path("api-docs/", views_schema.docs, name="docs"),
    path("calls/pop/", views_staff.screen_pop, name="screen_pop"),
    path("calls/<int:pk>/open/", views_staff.screen_pop_open, name="screen_pop_open"),
]
