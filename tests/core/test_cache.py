"""The Redis cache backend reuses its client; Django's builds one per call."""

import pytest
from django.core.cache import caches

from core.cache import RedisCache

REDIS_TEST_URL = "redis://127.0.0.1:6379/13"


def test_every_cache_call_reuses_one_redis_client(settings):
    settings.CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": REDIS_TEST_URL}}
    cache = caches["default"]
    assert isinstance(cache, RedisCache)
    cache.set("reused-client", "value")
    clients = {id(cache._cache.get_client(write=w)) for w in (True, False, True)}
    assert (cache.get("reused-client"), len(clients)) == ("value", 1)


def test_read_many_answers_in_one_mget_on_a_kept_connection_and_reconnects_after_a_drop(settings):
    import redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    from core.cache import read_many

    settings.CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": REDIS_TEST_URL}}
    cache = caches["default"]
    cache.set_many({"read-a": ("a", b"page"), "read-b": 7})
    assert read_many(["read-a", "read-missing", "read-b"]) == [("a", b"page"), None, 7]
    connection = cache._cache._page_connection[1]
    connection.send_command("CLIENT", "ID")
    client_id = connection.read_response()
    assert read_many(["read-b"]) == [7]
    assert cache._cache._page_connection[1] is connection

    redis.Redis.from_url(REDIS_TEST_URL).client_kill_filter(_id=client_id)
    with pytest.raises(RedisConnectionError):  # once: page_cache.guard takes it for a miss
        read_many(["read-b"])
    assert read_many(["read-a", "read-b"]) == [("a", b"page"), 7]
