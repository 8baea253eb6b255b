"""core/cache/redis.py: Django's Redis cache keeping one Redis client per connection pool, against a redis-server of
the test's own: it reads and writes like Django's, from many threads at once, builds no client per call, and goes on
after the server restarts."""
import threading

import pytest
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from core.cache.redis import RedisCache
from tests.core.faults import OwnRedis


@pytest.fixture
def own_redis(tmp_path):
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.stop()


def test_it_reads_and_writes_what_djangos_backend_reads_and_writes(own_redis):
    ours, django = RedisCache(own_redis.url, {}), DjangoRedisCache(own_redis.url, {})
    ours.set("outline", {"lessons": [1, 2, 3], "title": "财务 · Finances"}, 60)
    assert django.get("outline") == {"lessons": [1, 2, 3], "title": "财务 · Finances"}
    django.set_many({"a": 1, "b": "二"})
    assert ours.get_many(["a", "b", "missing"]) == {"a": 1, "b": "二"}
    assert ours.incr("a", 5) == 6 and django.get("a") == 6
    assert ours.add("a", 0) is False and ours.delete("a") is True and django.get("a") is None


def test_one_client_serves_every_call_and_every_thread(own_redis):
    cache = RedisCache(own_redis.url, {})
    first = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is first  # one server: one pool, one client
    errors = []

    def work(n):
        try:
            for i in range(200):
                cache.set(f"k{n}", i)
                assert cache.get(f"k{n}") == i
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == [] and [cache.get(f"k{n}") for n in range(8)] == [199] * 8
    assert cache._cache.get_client() is first


def test_the_kept_client_goes_on_after_the_server_restarts(own_redis):
    cache = RedisCache(own_redis.url, {})
    cache.set("before", 1)
    own_redis.stop()
    with pytest.raises(Exception):  # noqa: B017, PT011 — redis-py's ConnectionError, as with Django's backend
        cache.get("before")
    own_redis.start()
    cache.set("after", 2)
    assert cache.get("after") == 2 and cache.get("before") is None  # a server that keeps nothing: a fresh start
