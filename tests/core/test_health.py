"""/healthz: 200 when the database answers, the broker takes a message and a worker beat recently;
503 naming the part that failed."""
from datetime import timedelta

import pytest
from django.utils import timezone

from core.health import heartbeat_write
from core.models import Heartbeat

from .faults import Broker

pytestmark = pytest.mark.django_db


def test_healthz_is_200_when_every_part_works(client):
    heartbeat_write()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "worker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_no_worker_ever_beat(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert response.json()["worker"] == "no heartbeat yet: is a worker (and beat) running?"


def test_healthz_is_503_when_the_worker_went_quiet(client, settings):
    settings.ESSOR_HEARTBEAT_MAX_AGE_SECONDS = 180
    Heartbeat.objects.create(name="worker", at=timezone.now() - timedelta(seconds=400))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"].startswith("last heartbeat 400 s ago")
    assert (response.json()["database"], response.json()["broker"]) == ("ok", "ok")


def test_healthz_is_503_when_the_broker_cannot_take_a_message(client, tmp_path):
    """The filesystem broker's folder unwritable (default setup), or Redis stopped (Redis suite)."""
    heartbeat_write()
    broker = Broker(tmp_path)
    try:
        with broker.down():
            response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["broker"].startswith("refuses messages: ")
        assert response.json()["worker"] == "ok"
        assert client.get("/healthz").status_code == 200  # back
    finally:
        broker.close()


@pytest.mark.integration
def test_a_real_worker_writes_the_heartbeat_and_a_dead_one_is_noticed(worker_factory, client, settings):
    worker = worker_factory()
    worker.wait_for(lambda: Heartbeat.objects.filter(name="worker").exists())  # written when the worker starts
    assert client.get("/healthz").status_code == 200
    worker.kill()
    Heartbeat.objects.update(at=timezone.now() - timedelta(seconds=settings.ESSOR_HEARTBEAT_MAX_AGE_SECONDS + 1))  # time passes
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["worker"].startswith("last heartbeat")
