from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from diagnosis.forms.accounts import ThrottledPasswordResetForm
from diagnosis.views import (
    accounts,
    coverage,
    directory,
    firms,
    home,
    outreach,
    population,
    programme,
    report,
    respond,
    results,
    review,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/signup/", accounts.signup, name="signup"),
    path(
        "accounts/signup/confirm/<str:uidb64>/<str:token>/",
        accounts.signup_confirm,
        name="signup_confirm",
    ),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=ThrottledPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    # Firms and colleagues
    path("firm/", firms.firm_detail, name="firm_detail"),
    path("firm/register/", firms.firm_register, name="firm_register"),
    path("firm/edit/", firms.firm_edit, name="firm_edit"),
    path("firm/invite/", firms.firm_invite, name="firm_invite"),
    path("firm/invitations/<int:pk>/resend/", firms.invitation_resend, name="invitation_resend"),
    path("firm/invitations/<int:pk>/revoke/", firms.invitation_revoke, name="invitation_revoke"),
    path("firm/members/<int:pk>/remove/", firms.member_remove, name="member_remove"),
    path("firm/join-requests/<int:pk>/", firms.join_request_decide, name="join_request_decide"),
    path("invitations/<str:token>/", firms.invitation, name="invitation"),
    # Answering
    path("assessments/new/", firms.assessment_new, name="assessment_new"),
    path("assessments/<int:pk>/", respond.assessment_resume, name="assessment_resume"),
    path("assessments/<int:pk>/sections/<str:code>/", respond.section, name="section"),
    path(
        "assessments/<int:pk>/sections/<str:code>/changes/",
        respond.section_changes,
        name="section_changes",
    ),
    path(
        "assessments/<int:pk>/sections/<str:code>/goal/",
        respond.goal_autosave,
        name="goal_autosave",
    ),
    path(
        "assessments/<int:pk>/answers/<str:code>/", respond.answer_autosave, name="answer_autosave"
    ),
    path(
        "assessments/<int:pk>/evidence/<str:code>/",
        respond.evidence_download,
        name="evidence_download",
    ),
    path("assessments/<int:pk>/submit/", respond.submit, name="submit"),
    # Reports
    path("assessments/<int:pk>/report/", report.report, name="report"),
    path("assessments/<int:pk>/report.pdf", report.report_pdf, name="report_pdf"),
    path("verify/", report.report_verify, name="report_verify"),
    # Review
    path("review/", review.review_queue, name="review_queue"),
    path("review/<int:pk>/", review.review, name="review"),
    path(
        "review/<int:pk>/dimensions/<str:code>/",
        review.review_dimension,
        name="review_dimension",
    ),
    path(
        "review/<int:pk>/dimensions/<str:code>/confirm/",
        review.review_dimension_confirm,
        name="review_dimension_confirm",
    ),
    path("review/<int:pk>/answers/<str:code>/", review.review_answer, name="review_answer"),
    path("review/<int:pk>/comments/", review.review_comment_add, name="review_comment_add"),
    path(
        "review/<int:pk>/warnings/<str:code>/resolve/",
        review.review_warning_resolve,
        name="review_warning_resolve",
    ),
    path("review/<int:pk>/decision/", review.review_decide, name="review_decide"),
    path("assessments/<int:pk>/history/", review.history, name="history"),
    # Programme office and provider managers
    path("programme/", programme.programme, name="programme"),
    path("programme/firms/<int:pk>/assign/", programme.assign_provider, name="assign_provider"),
    # The firm directory (population entries), exports, bulk assignment, the provider table
    path("programme/firms/", directory.directory, name="directory"),
    re_path(
        r"^programme/firms/export\.(?P<file_format>csv|xlsx)$",
        directory.directory_export,
        name="directory_export",
    ),
    path("programme/firms/assign/", directory.directory_assign, name="directory_assign"),
    path("programme/firms/entry/<int:pk>/", directory.directory_firm, name="directory_firm"),
    path(
        "programme/firms/entry/<int:pk>/provider/",
        directory.directory_firm_provider,
        name="directory_firm_provider",
    ),
    path("programme/providers/", directory.providers, name="providers"),
    # Coverage of the population and results (the programme office; district officers for
    # their districts)
    path("programme/coverage/", coverage.coverage_page, name="coverage"),
    path("programme/results/", results.results_page, name="results"),
    path(
        "provider/firms/assign/",
        directory.provider_assign_consultant,
        name="provider_assign_consultant",
    ),
    path(
        "programme/questionnaires/<int:pk>/publish/",
        programme.publish_version,
        name="publish_version",
    ),
    # The target population, outreach and quotas (the programme office; district officers
    # for their districts)
    path("programme/population/", population.population, name="population"),
    path("programme/population/<int:pk>/", population.population_firm, name="population_firm"),
    path(
        "programme/population/imports/new/",
        population.population_import_new,
        name="population_import_new",
    ),
    path(
        "programme/population/imports/<int:pk>/",
        population.population_import,
        name="population_import",
    ),
    path(
        "programme/population/imports/<int:pk>/confirm/",
        population.population_import_confirm,
        name="population_import_confirm",
    ),
    path(
        "programme/population/imports/<int:pk>/report.csv",
        population.population_import_report,
        name="population_import_report",
    ),
    re_path(
        r"^programme/population/template\.(?P<file_format>csv|xlsx)$",
        population.population_template,
        name="population_template",
    ),
    path("programme/outreach/", outreach.outreach, name="outreach"),
    path("programme/quotas/", population.district_quotas, name="district_quotas"),
    path("welcome/<str:token>/", population.population_welcome, name="population_welcome"),
    path("provider/", programme.provider, name="provider"),
    path("provider/firms/<int:pk>/assign/", programme.assign_consultant, name="assign_consultant"),
    path("admin/", admin.site.urls),
]
