"""CHANNEL_LAYER chooses the Redis channel layer the boards' pushes go through (docs/deploy.md); a value
it does not know stops the start with a message instead of falling back silently."""

import os
import subprocess
import sys

import pytest

READ = "import django; django.setup(); from django.conf import settings; print(settings.CHANNEL_LAYERS['default']['BACKEND'])"


def backend(**env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in {"CHANNEL_LAYER", "REDIS_URL"}}
    environment.update(DJANGO_SETTINGS_MODULE="ventanilla.settings", REDIS_URL="redis://127.0.0.1:6379/5", **env)
    return subprocess.run([sys.executable, "-c", READ], env=environment, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "channels_redis.pubsub.RedisPubSubChannelLayer"),
        ("redis-pubsub", "channels_redis.pubsub.RedisPubSubChannelLayer"),
        ("redis", "channels_redis.core.RedisChannelLayer"),
    ],
)
def test_the_channel_layer_is_chosen_by_environment(value, expected):
    done = backend(**({"CHANNEL_LAYER": value} if value else {}))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == expected


def test_an_unknown_channel_layer_is_refused_with_a_message():
    done = backend(CHANNEL_LAYER="rabbit")
    assert done.returncode != 0
    assert "CHANNEL_LAYER is redis or redis-pubsub, not 'rabbit'" in done.stderr
