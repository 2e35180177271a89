"""The Redis cache backend reuses its client; Django's builds one per call."""

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
