from django.urls import path

from contacts import customer_views, live_views, merge_views, needs_views, views

app_name = "contacts"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("new/", customer_views.customer_create, name="customer_create"),
    path("import/", customer_views.customer_import, name="customer_import"),
    path("<int:pk>/", views.customer_detail, name="customer_detail"),
    path("<int:pk>/edit/", customer_views.customer_edit, name="customer_edit"),
    path("<int:pk>/needs/new/", needs_views.need_report, name="need_report"),
    path("needs/<int:pk>/", needs_views.need_detail, name="need_detail"),
    path("<int:pk>/history/", customer_views.customer_history, name="customer_history"),
    path("<int:pk>/merge/", merge_views.customer_merge_page, name="customer_merge"),
    path("merges/<int:pk>/undo/", merge_views.customer_merge_undo_page,
         name="customer_merge_undo"),
    path("<int:customer_pk>/contacts/new/", views.contact_log, name="contact_log"),
    path("contacts/new/", views.contact_log, name="contact_log_unknown"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/link-customer/", customer_views.contact_link_customer,
         name="contact_link_customer"),
    path("contacts/<int:pk>/classify/", views.contact_classify, name="contact_classify"),
    path("contacts/<int:pk>/steps/<slug:step>/", views.contact_step, name="contact_step"),
    path("contacts/<int:pk>/end/", views.contact_end, name="contact_end"),
    path("contacts/<int:pk>/correct/", views.contact_correct, name="contact_correct"),
    path("contacts/<int:pk>/reclassify/", views.contact_reclassify, name="contact_reclassify"),
    # issue 24: live-call mode (7.3-7.5 on one screen)
    path("contacts/<int:pk>/live/", live_views.contact_live, name="contact_live"),
    path("contacts/<int:pk>/live/classify/", live_views.contact_live_classify,
         name="contact_live_classify"),
    path("contacts/<int:pk>/live/steps/<slug:step>/", live_views.contact_live_step,
         name="contact_live_step"),
    path("contacts/<int:pk>/no-new-information/", views.contact_no_new_information,
         name="contact_no_new_information"),
    path("contacts/<int:pk>/suggest-persistent/", views.persistent_suggest,
         name="persistent_suggest"),
    path("contacts/<int:pk>/callback/", views.callback_arrange, name="callback_arrange"),
    path("contacts/<int:pk>/escalation/", views.escalation_record, name="escalation_record"),
    path("contacts/<int:pk>/name-given/", views.name_given_record, name="name_given_record"),
    path("contacts/<int:pk>/written-review/", views.written_review_raise,
         name="written_review_raise"),
    path("callbacks/<int:pk>/done/", views.callback_done, name="callback_done"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("flags/<int:pk>/", views.flag_detail, name="flag_detail"),
    path("queue/", views.queue, name="queue"),
]
