"""The client's address, the way Django REST framework's throttles read it (NUM_PROXIES = ESSOR_NUM_PROXIES),
so that the API limits and the log-in lock-out (django-axes) count the same client."""
from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR when the site faces its clients (ESSOR_NUM_PROXIES=0); behind N proxies, the address the
    N-th proxy from ours saw, i.e. the N-th entry from the right of X-Forwarded-For (entries left of it are the
    client's own words)."""
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = settings.ESSOR_NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote_addr
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    if not addresses:
        return remote_addr
    return addresses[-min(proxies, len(addresses))]
