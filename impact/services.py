"""Every write of the impact app: network invitations answered and withdrawn by the intermediary's managers."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Intermediary

from . import permissions
from .models import Network, NetworkMembership

Status = NetworkMembership.Status


@transaction.atomic
def network_invite(*, network: Network, slug: str, by, message: str = "") -> NetworkMembership:
    """A network manager invites an intermediary (again, after a decline or a withdrawal)."""
    if not permissions.can_invite_to_network(by, network.pk):
        raise PermissionDenied
    intermediary = Intermediary.objects.filter(slug=slug.strip().lower()).first()
    if intermediary is None:
        raise ValidationError({"intermediary": _("No intermediary has this short name. Check it with the intermediary.")})
    link, created = NetworkMembership.objects.select_for_update().get_or_create(
        network=network, intermediary=intermediary, defaults={"invited_by": by, "message": message[:1000]})
    if not created:
        if link.status in (Status.INVITED, Status.ACCEPTED):
            raise ValidationError(_("This intermediary is already invited to or part of the network."))
        link.status, link.invited_by, link.invited_at, link.message = Status.INVITED, by, timezone.now(), message[:1000]
        link.responded_by = link.responded_at = None
        link.save()
    return link


def _answer(*, link: NetworkMembership, by, allowed_from: set[str], to: str) -> NetworkMembership:
    if not permissions.can_manage_intermediary_networks(by, link.intermediary_id):
        raise PermissionDenied
    with transaction.atomic():
        link = NetworkMembership.objects.select_for_update().get(pk=link.pk)
        if link.status not in allowed_from:
            raise ValidationError(_("This invitation has already been answered. Reload the page to see where it stands."))
        link.status, link.responded_by, link.responded_at = to, by, timezone.now()
        link.save(update_fields=["status", "responded_by", "responded_at"])
    return link


def network_membership_accept(*, link: NetworkMembership, by) -> NetworkMembership:
    return _answer(link=link, by=by, allowed_from={Status.INVITED}, to=Status.ACCEPTED)


def network_membership_decline(*, link: NetworkMembership, by) -> NetworkMembership:
    return _answer(link=link, by=by, allowed_from={Status.INVITED}, to=Status.DECLINED)


def network_membership_withdraw(*, link: NetworkMembership, by) -> NetworkMembership:
    """The intermediary leaves the network: its figures disappear from the network's pages at once."""
    return _answer(link=link, by=by, allowed_from={Status.ACCEPTED}, to=Status.WITHDRAWN)
