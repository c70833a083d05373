from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from diagnosis import ratelimit
from diagnosis.forms.accounts import SignupForm
from diagnosis.services import accounts as account_services


def signup(request: HttpRequest) -> HttpResponse:
    """The same answer whether or not the address has an account: a link or a note is
    emailed to it (services/accounts.py)."""
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.user_sign_up_request(
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
                address=ratelimit.client_address(request),
                next_url=_safe_next(request),
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


def _safe_next(request: HttpRequest) -> str:
    next_url = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return next_url
    return ""
