from urllib.parse import parse_qs, urlsplit

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from diagnosis import ratelimit
from diagnosis.forms.accounts import SignupForm
from diagnosis.services import accounts as account_services
from diagnosis.services.firms import invitation_for_token
from diagnosis.services.outreach import population_for_token


def signup(request: HttpRequest) -> HttpResponse:
    """The same answer whether or not the address has an account: a link or a note is
    emailed to it (services/accounts.py)."""
    next_url = _safe_next(request)
    form = SignupForm(request.POST or None, initial={"email": invited_email(next_url)})
    if request.method == "POST" and form.is_valid():
        try:
            account_services.user_sign_up_request(
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
                address=ratelimit.client_address(request),
                next_url=next_url,
            )
        except ratelimit.EmailLimitReached as error:
            form.add_error(None, str(error))
        else:
            context = {"email": form.cleaned_data["email"]}
            return render(request, "registration/signup_sent.html", context)
    return render(request, "registration/signup.html", {"form": form})


def signup_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """GET shows a button (mail scanners that open links must not use them up); POST
    activates the account and logs in."""
    user = account_services.pending_sign_up(uidb64, token)
    if user is None:
        return render(request, "registration/signup_confirm.html", {"valid": False})
    if request.method == "POST":
        account_services.user_sign_up_confirm(user=user)
        login(request, user, backend="diagnosis.auth.ModelBackend")
        messages.success(request, _("Your email is confirmed. Welcome."))
        return redirect(_safe_next(request) or "home")
    return render(request, "registration/signup_confirm.html", {"valid": True})


def invited_email(next_url: str) -> str:
    """The address an invitation was sent to, when sign-up leads on to it: a colleague's
    invitation (`/invitations/<token>/`) or the programme's (the registration form with
    `?invitation=<token>`). Empty for any other page or a link no longer valid."""
    parts = urlsplit(next_url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return ""
    if match.url_name == "invitation":
        invitation = invitation_for_token(match.kwargs["token"])
        return invitation.email if invitation else ""
    token = parse_qs(parts.query).get("invitation", [""])[0]
    if match.url_name == "firm_register" and token:
        entry = population_for_token(token)
        return entry.contact_email if entry else ""
    return ""


def _safe_next(request: HttpRequest) -> str:
    next_url = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return next_url
    return ""
