from django.urls import path

from felles.agreements import views

urlpatterns = [
    path("avtaler/", views.agreement_list, name="agreements"),
    path("avtaler/<uuid:agreement_id>/", views.agreement_detail, name="agreement"),
    path("avtaler/<uuid:agreement_id>/steg/", views.agreement_step, name="agreement_step"),
    path("avtaler/<uuid:agreement_id>/utskrift/", views.agreement_print, name="agreement_print"),
]
