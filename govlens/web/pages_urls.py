"""Server-rendered pages."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from govlens.web.accounts import views as accounts
from govlens.web.audit import views as audit
from govlens.web.collection import views as collection
from govlens.web.review import views as review

RESPONSE = "cycles/<slug:cycle>/responses/<str:iso3>/"
# The password reset pages are Django's, with the admin's translated templates under our name. The same
# "e-mail sent" page follows every request, so the form does not tell whether an account has the address.
RESET_CONTEXT = {"site_header": "GovLens", "site_title": "GovLens", "site_url": "/"}

urlpatterns = [
    path("", accounts.home, name="home"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(extra_context=RESET_CONTEXT),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(extra_context=RESET_CONTEXT),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(extra_context=RESET_CONTEXT),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(extra_context=RESET_CONTEXT),
        name="password_reset_complete",
    ),
    path("review/", review.queue, name="review-queue"),
    path("cycles/<slug:cycle>/", collection.cycle_page, name="cycle"),
    path(RESPONSE, collection.response_page, name="response"),
    path(f"{RESPONSE}sections/<str:section>/", collection.response_section_page, name="response-section"),
    path(f"{RESPONSE}all", collection.response_all_page, name="response-all"),
    # a question named by its section holds a slash (governance/org_exists): <path:> takes it whole
    path(f"{RESPONSE}questions/<path:question>", collection.response_question, name="response-question"),
    path(f"{RESPONSE}save", collection.response_save_view, name="response-save"),
    path(f"{RESPONSE}resolve", collection.response_conflict_resolve, name="response-resolve"),
    path(f"{RESPONSE}contributors", collection.contributors_page, name="contributors"),
    path(f"{RESPONSE}relevance", collection.response_relevance, name="response-relevance"),
    path(f"{RESPONSE}suggestion", collection.suggestion_accept, name="suggestion-accept"),
    path(f"{RESPONSE}submit", collection.response_submit_page, name="response-submit"),
    path(f"{RESPONSE}upload", collection.evidence_upload_view, name="evidence-upload"),
    path(f"{RESPONSE}files/<int:file_id>", collection.evidence_download, name="evidence-download"),
    path(f"{RESPONSE}workbook.xlsx", collection.workbook_download, name="workbook-download"),
    path(f"{RESPONSE}workbook", collection.workbook_upload, name="workbook-upload"),
    path(f"{RESPONSE}workbook/accept", collection.workbook_accept, name="workbook-accept"),
    path(f"{RESPONSE}comment", review.comment, name="review-comment"),
    path(f"{RESPONSE}comments/<int:comment_id>/resolve", review.comment_resolve, name="review-comment-resolve"),
    path(f"{RESPONSE}request-changes", review.request_changes, name="review-request-changes"),
    path(f"{RESPONSE}approve", review.approve, name="review-approve"),
    path(f"{RESPONSE}reopen", review.reopen, name="response-reopen"),
    path(f"{RESPONSE}audit", audit.trail, name="audit-trail"),
    path(f"{RESPONSE}audit.csv", audit.trail_csv, name="audit-csv"),
]
