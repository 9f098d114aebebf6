from django.urls import path

from felles.costing import views

urlpatterns = [
    path("kostnader/", views.model_list, name="cost_models"),
    path("kostnader/budsjett/", views.budget, name="budget"),
    path("kostnader/rammeoverforing/", views.transfers, name="transfers"),
    path("kostnader/kostnadsdekning/", views.recovery, name="recovery"),
    path("kostnader/<uuid:model_id>/", views.model_detail, name="cost_model"),
    path("kostnader/<uuid:model_id>/prisliste/", views.propose_prices, name="propose_prices"),
    path("prislister/<uuid:price_list_id>/", views.price_list_detail, name="price_list"),
]
