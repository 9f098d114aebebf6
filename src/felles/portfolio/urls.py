from django.urls import path

from felles.portfolio import views

urlpatterns = [
    path("portefolje/", views.overview, name="portfolio"),
    path("portefolje/prosjekter/<slug:code>/", views.project_detail, name="project"),
    path("portefolje/vurderinger/", views.evaluation_list, name="evaluations"),
    path("portefolje/vurderinger/<slug:code>/", views.evaluation_detail, name="evaluation"),
    path("portefolje/nullpunkt/", views.baseline, name="baseline"),
]
