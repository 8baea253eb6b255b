"""Imported by the test workers (`celery worker --include=tests.fault_hooks`): slows a worker down on
demand, so that a fault test can kill it in the middle of an export or of an email. Inert unless the
worker's environment sets the variables below (seconds)."""
import os
import time

SLOW_EXPORT_STEP = float(os.environ.get("ESSOR_TEST_SLOW_EXPORT_STEP", "0") or 0)
SLOW_EMAIL = float(os.environ.get("ESSOR_TEST_SLOW_EMAIL", "0") or 0)

if SLOW_EXPORT_STEP:
    from cohorts.services import exports

    _tick = exports._Progress.tick

    def _slow_tick(self, lines=1):  # a learner's lines at a time (cohorts.services.exports._Progress.tick)
        time.sleep(SLOW_EXPORT_STEP)
        _tick(self, lines)

    exports._Progress.tick = _slow_tick

if SLOW_EMAIL:
    from django.core.mail.backends.filebased import EmailBackend

    _send = EmailBackend.send_messages

    def _slow_send(self, messages):
        time.sleep(SLOW_EMAIL)  # killed here: the email is not written
        return _send(self, messages)

    EmailBackend.send_messages = _slow_send
