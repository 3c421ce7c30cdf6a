from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("", views.search, name="search"),
    path("customers/<int:customer_pk>/", views.customer_history, name="customer_history"),
]
