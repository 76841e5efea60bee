"""Shared fixtures: a tiny synthetic benchmark and real sample videos."""
from pathlib import Path

import pytest

from .helpers import load_tool, write_sample_videos


@pytest.fixture(autouse=True)
def mmaction_scope():
    """Build unprefixed names from mmaction's registries, as configs do.

    Per test: a Runner built by an earlier test leaves its own scope current.
    """
    from mmengine.registry import init_default_scope

    import vim_mmaction  # noqa: F401
    init_default_scope('mmaction')


@pytest.fixture(scope='session')
def synthetic_root(tmp_path_factory) -> Path:
    """A small synthetic benchmark: 8 videos per class (5-shot training needs
    5 + 3), 16 frames, 128 px."""
    root = tmp_path_factory.mktemp('synthetic')
    load_tool('tools/data/make_synthetic.py').make_synthetic(
        str(root), seed=0, videos_per_class=8, num_frames=16, size=128)
    return root


@pytest.fixture(scope='session')
def sample_videos(tmp_path_factory) -> Path:
    """Real clips of several containers and codecs, encoded here with PyAV
    (see :func:`tests.helpers.write_sample_videos`)."""
    root = tmp_path_factory.mktemp('sample_videos')
    write_sample_videos(root)
    return root


@pytest.fixture
def mmengine_log():
    """Messages logged through mmengine's current logger during the test."""
    import logging

    from mmengine.logging import MMLogger

    class Collector(logging.Handler):

        def __init__(self):
            super().__init__(logging.DEBUG)
            self.messages = []

        def emit(self, record):
            self.messages.append(record.getMessage())

    logger = MMLogger.get_current_instance()
    collector = Collector()
    logger.addHandler(collector)
    yield collector.messages
    logger.removeHandler(collector)
