from django.urls import path

from felles.orders import views

urlpatterns = [
    path("bestill/<uuid:service_id>/", views.order_new, name="order_new"),
    path("bestillinger/", views.my_orders, name="my_orders"),
    path("bestillinger/departementet/", views.ministry_orders, name="ministry_orders"),
    path("bestillinger/leselogg/", views.read_log, name="read_log"),
    path("bestillinger/<uuid:order_id>/", views.order_detail, name="order"),
    path("bestillinger/<uuid:order_id>/handling/", views.order_action, name="order_action"),
    path("godkjenning/", views.approvals, name="approvals"),
    path("godkjenning/<uuid:step_id>/", views.approval_decide, name="approval_decide"),
    path("godkjenning/lenke/<str:token>/", views.approval_link, name="approval_link"),
    path("ko/", views.queue, name="queue"),
]
