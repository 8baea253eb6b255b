"""Django's Redis cache with one Redis client per connection pool, not one per operation.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` object for every cache call, and redis-py copies
its table of about eighty response callbacks into a new case-insensitive dictionary each time: on a learner's
request (the session, the module outline, the rate limit) that was a quarter of a millisecond of CPU for nothing
(docs/performance.md). A `redis.Redis` client is safe to share between threads (each command takes a connection
from the pool), so this keeps one per pool. Everything else is Django's backend.
"""
from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None or client.connection_pool is not pool:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
