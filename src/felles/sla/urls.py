from django.urls import path

from felles.sla import views

urlpatterns = [path("sla/", views.report, name="sla_report")]
