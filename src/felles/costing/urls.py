from django.urls import path

from felles.costing import views

urlpatterns = [
    path("kostnader/", views.model_list, name="cost_models"),
    path("kostnader/<uuid:model_id>/", views.model_detail, name="cost_model"),
]
