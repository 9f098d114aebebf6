from django.urls import path

from felles.guidelines import views

urlpatterns = [
    path("retningslinjer/", views.guideline_list, name="guidelines"),
    path("retningslinjer/ny/", views.guideline_new, name="guideline_new"),
    path("retningslinjer/matrise/", views.guideline_matrix, name="guideline_matrix"),
    path("retningslinjer/atom/", views.guideline_feed, name="guideline_feed"),
    path("retningslinjer/<slug:code>/", views.guideline_detail, name="guideline"),
    path("retningslinjer/<slug:code>/versjon/", views.version_edit, name="guideline_version"),
    path("retningslinjer/<slug:code>/utskrift/", views.guideline_print, name="guideline_print"),
]
