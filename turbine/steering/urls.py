"""Pages of steering, with their full paths (included at the site root)."""

from django.urls import path, register_converter

from turbine.steering import views


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"


register_converter(YearConverter, "year")

app_name = "steering"
urlpatterns = [
    path("pilotage/objectifs/", views.objective_list, name="objectives"),
    path("pilotage/objectifs/<int:objective_id>/", views.objective_detail, name="objective"),
    path(
        "pilotage/objectifs/<int:objective_id>/projets/",
        views.objective_projects,
        name="objective_projects",
    ),
    path("pilotage/indicateurs/import/", views.values_import, name="values_import"),
    path("pilotage/indicateurs/<int:indicator_id>/", views.indicator_detail, name="indicator"),
    path(
        "pilotage/indicateurs/<int:indicator_id>/valeurs.csv",
        views.indicator_csv,
        name="indicator_csv",
    ),
    path("pilotage/portefeuille/", views.portfolio, name="portfolio"),
    path("pilotage/portefeuille/portefeuille.csv", views.portfolio_csv, name="portfolio_csv"),
    path("pilotage/portefeuille/notation/", views.scoring_list, name="scoring"),
    path(
        "pilotage/portefeuille/notation/<int:project_id>/",
        views.project_scores,
        name="project_scores",
    ),
    path("pilotage/portefeuille/poids/", views.weights, name="weights"),
    path("pilotage/mandature/", views.mandate_detail, name="mandate"),
    path("pilotage/mandature/<int:mandate_id>/", views.mandate_detail, name="mandate_detail"),
    path("pilotage/mandature/<int:mandate_id>/vote/", views.mandate_vote, name="mandate_vote"),
    path(
        "pilotage/mandature/<int:mandate_id>/publier/",
        views.mandate_publish,
        name="mandate_publish",
    ),
    path("pilotage/appels/", views.joint_response_list, name="joint_responses"),
    path(
        "pilotage/appels/<int:response_id>/",
        views.joint_response_detail,
        name="joint_response",
    ),
    path(
        "pilotage/appels/<int:response_id>/gerer/",
        views.joint_response_manage,
        name="joint_response_manage",
    ),
    path("rapport/<year:year>/", views.report_page, name="report"),
    path("rapport/<year:year>.pdf", views.report_pdf, name="report_pdf"),
    path("rapport/<year:year>/pdf/", views.report_pdf_build, name="report_pdf_build"),
    path("rapport/<year:year>/<slug:figure>.csv", views.report_csv, name="report_csv"),
]
