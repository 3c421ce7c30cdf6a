"""/api/v1/: the integration API. Views authenticate by API key, so Django's sign-in
middleware is told to let them through (``login_not_required``); each view then refuses a
request without a key (401) or without its scope (403)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path

from api import problems, views, views_cases, views_schema

app_name = "api"


def _open(view):
    return login_not_required(view)


urlpatterns = [
    path("schema/", _open(views_schema.SchemaView.as_view()), name="schema"),
    path("callers", _open(views.CallerLookupView.as_view()), name="callers"),
    path("calls/events", _open(views.CallEventView.as_view()), name="call_events"),
    path("customers/<str:external_id>", _open(views_cases.CustomerUpsertView.as_view()),
         name="customer_upsert"),
    path("case-file/terminated-call-logs/<int:pk>",
         _open(views_cases.CallLogExportView.as_view()), name="calllog_export"),
    path("case-file/terminated-call-logs/<int:pk>/placed",
         _open(views_cases.CallLogPlacedView.as_view()), name="calllog_placed"),
    path("case-file/at-risk-notes/<int:pk>", _open(views_cases.AtRiskNoteExportView.as_view()),
         name="atrisk_note_export"),
    path("case-file/terminated-call-logs/<int:pk>/pdf",
         _open(views_cases.CallLogPdfView.as_view()), name="calllog_pdf"),
    path("case-file/at-risk-notes/<int:pk>/pdf",
         _open(views_cases.AtRiskNotePdfView.as_view()), name="atrisk_note_pdf"),
    path("case-file/at-risk-notes/<int:pk>/placed",
         _open(views_cases.AtRiskNotePlacedView.as_view()), name="atrisk_note_placed"),
    path("webhooks/subscriptions", _open(views.SubscriptionListView.as_view()),
         name="subscriptions"),
    path("webhooks/subscriptions/<int:pk>", _open(views.SubscriptionDetailView.as_view()),
         name="subscription_detail"),
    path("webhooks/deliveries", _open(views.DeliveryListView.as_view()), name="deliveries"),
    re_path(r"^.*$", _open(problems.not_found), name="not_found"),
]
