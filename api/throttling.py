"""Throttles that fail open: when the cache that counts requests (Redis) is down, requests are let
through and the outage is logged, rather than every API call answering 500. Rate limiting is a
protection against abuse, not a reason to stop a learner recording progress during a cache outage."""
import logging

from rest_framework import throttling

logger = logging.getLogger(__name__)


class FailOpenMixin:
    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception as error:  # the cache backend's connection errors differ by backend
            logger.warning("API throttle %s skipped: its cache is unavailable (%s)", self.__class__.__name__, error)
            return True


class AnonRateThrottle(FailOpenMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(FailOpenMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(FailOpenMixin, throttling.ScopedRateThrottle):
    pass
