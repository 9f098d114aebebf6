from django.urls import path

from felles.invoicing import views

urlpatterns = [
    path("faktura/", views.invoice_list, name="invoices"),
    path("faktura/<uuid:invoice_id>/", views.invoice_detail, name="invoice"),
    path("faktura/<uuid:invoice_id>/krediter/", views.credit, name="invoice_credit"),
    path("faktura/<uuid:invoice_id>/linjer/<int:position>/", views.line_usage, name="invoice_line"),
    path(
        "faktura/<uuid:invoice_id>/linjer/<int:position>/innsigelse/",
        views.dispute_line,
        name="invoice_dispute",
    ),
    path("fakturering/", views.run_list, name="invoice_runs"),
    path("fakturering/import/", views.usage_import, name="usage_import"),
    path("fakturering/<uuid:run_id>/", views.run_detail, name="invoice_run"),
    path(
        "fakturering/<uuid:run_id>/forbruk/<uuid:usage_id>/",
        views.correct_usage,
        name="invoice_run_usage",
    ),
    path(
        "fakturering/innsigelser/<uuid:dispute_id>/", views.resolve, name="invoice_dispute_resolve"
    ),
]
