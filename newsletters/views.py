"""Readers' newsletter pages: subscribe (from any page's footer or below a story), confirm,
unsubscribe (with RFC 8058's one-click POST) and preferences behind a signed link.

The subscribe form sits on pages shared caches keep, so it carries no CSRF token: like
the review form, ``core.origin.same_site_posts`` refuses a POST another site's page
sends. The answer to a subscription is the same page whatever the address was.
"""

import hmac
import ipaddress
import json

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.origin import same_site_posts
from core.ratelimits import too_many_requests, wait_for
from core.readers import client_ip, ip_hash

from . import tokens
from .forms import BounceForm, PreferencesForm, SubscribeForm
from .models import Subscriber
from .services import (
    bounce_record,
    delivery_opened,
    subscriber_confirm,
    subscriber_unsubscribe,
    subscription_request,
)

MAX_BOUNCES_PER_POST = 1000
# A transparent 1x1 GIF.
PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00"
    b"\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def network_hash(request):
    """The keyed hash of the reader's network (/24 for IPv4, /64 for IPv6): one person
    holds many addresses of one network."""
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ip_hash(address)
    prefix = 24 if ip.version == 4 else 64
    return ip_hash(str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False)))


@same_site_posts
@require_POST
def subscribe(request):
    form = SubscribeForm(request.POST, language=get_language())
    if not form.is_valid():
        return render(request, "newsletters/subscribe.html", {"form": form}, status=400)
    network = network_hash(request)
    email = form.cleaned_data["email"]
    for group, key in (("newsletters:network", network), ("newsletters:email", email)):
        rate = settings.RATE_LIMIT_NEWSLETTER_SUBSCRIBE
        retry_after = wait_for(request, group, rate, key)
        if retry_after:
            return too_many_requests(retry_after)
    for newsletter in form.cleaned_data["newsletters"]:
        subscription_request(newsletter=newsletter, email=email, ip_hash=network)
    return render(request, "newsletters/check_inbox.html", {"email": email})


def _subscriber(action, token):
    return tokens.read(action, token, Subscriber.objects.select_related("newsletter"))


def _gone(request):
    return render(request, "newsletters/link_expired.html", status=404)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button (a mail scanner opening the link confirms nothing); POST confirms."""
    subscriber = _subscriber("confirm", token)
    if subscriber is None or subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return _gone(request)
    if request.method == "POST":
        subscriber_confirm(subscriber=subscriber)
    return render(request, "newsletters/confirm.html", {"subscriber": subscriber})


@never_cache
@csrf_exempt  # RFC 8058: the mail provider POSTs without cookies; the signed token decides.
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    subscriber = _subscriber("unsubscribe", token)
    if subscriber is None:
        return _gone(request)
    if request.method == "POST":
        subscriber_unsubscribe(subscriber=subscriber)
    context = {
        "subscriber": subscriber,
        "preferences_token": tokens.make("preferences", subscriber),
    }
    return render(request, "newsletters/unsubscribe.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request, token):
    """Choose newsletters (each speaks one language) for the address the link was sent to;
    the signed link proves the reader holds the mailbox, so choices apply at once."""
    subscriber = _subscriber("preferences", token)
    if subscriber is None:
        return _gone(request)
    mine = Subscriber.objects.filter(email=subscriber.email).select_related("newsletter")
    receiving = [s.newsletter_id for s in mine if s.status == Subscriber.Status.CONFIRMED]
    form = PreferencesForm(request.POST or None, initial={"newsletters": receiving})
    saved = False
    if request.method == "POST" and form.is_valid():
        chosen = {newsletter.pk for newsletter in form.cleaned_data["newsletters"]}
        with transaction.atomic():
            for existing in mine:
                if existing.newsletter_id not in chosen:
                    subscriber_unsubscribe(subscriber=existing)
            for newsletter in form.cleaned_data["newsletters"]:
                row, _created = Subscriber.objects.get_or_create(
                    newsletter=newsletter, email=subscriber.email
                )
                subscriber_confirm(subscriber=row)
        saved = True
    context = {"form": form, "subscriber": subscriber, "saved": saved}
    return render(request, "newsletters/preferences.html", context)


def _provider_authenticated(request):
    """The webhook's ``Authorization: Bearer <NEWSLETTER_BOUNCE_SECRET>``, compared in
    constant time; with no secret set, nobody is."""
    secret = settings.NEWSLETTER_BOUNCE_SECRET
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    if not secret or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(token.strip().encode(), secret.encode())


@csrf_exempt  # The provider posts from its servers, with no cookie; the bearer token decides.
@require_POST
def bounces(request):
    """The mail provider's bounce webhook: a JSON object, or a list of them, each
    ``{"email", "type": "hard"|"soft", "description"}``. All or nothing: one invalid
    entry refuses the post (400), so the provider sends it again once fixed."""
    if not _provider_authenticated(request):
        return JsonResponse({"error": "unauthorized"}, status=401)
    try:
        payload = json.loads(request.body)
    except ValueError:
        return JsonResponse({"error": "not JSON"}, status=400)
    entries = payload if isinstance(payload, list) else [payload]
    if len(entries) > MAX_BOUNCES_PER_POST:
        return JsonResponse({"error": f"at most {MAX_BOUNCES_PER_POST} a post"}, status=400)
    forms = [BounceForm(entry if isinstance(entry, dict) else {}) for entry in entries]
    errors = {index: form.errors for index, form in enumerate(forms) if not form.is_valid()}
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    with transaction.atomic():
        for form in forms:
            data = form.cleaned_data
            bounce_record(email=data["email"], kind=data["type"], description=data["description"])
    return JsonResponse({"recorded": len(forms)})


@never_cache
@require_GET
def opened(request, token):
    """The image of a newsletter that counts opens: counts one open of the issue for the
    delivery the token signs. The same image whatever the token, so it tells nothing."""
    delivery_id = tokens.read_open(token)
    if isinstance(delivery_id, int):
        delivery_opened(delivery_id=delivery_id)
    return HttpResponse(PIXEL, content_type="image/gif")
