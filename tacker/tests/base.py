"""Test bases: a fresh state directory and database for every test."""
import os

import fixtures
from oslo_config import fixture as config_fixture
import testtools

from tacker.sol_refactored.api import policy
from tacker.sol_refactored.common import config
from tacker.sol_refactored.db import api as db_api
from tacker.sol_refactored.db import migration


class TestCase(testtools.TestCase):
    """A test with its own config, state directory and SQLite database."""

    def setUp(self):
        super().setUp()
        # No config file of the machine may leak into a test.
        config.CONF([], project='tacker', default_config_files=[])
        self.conf = self.useFixture(config_fixture.Config(config.CONF))
        self.state_dir = self.useFixture(fixtures.TempDir()).path
        self.conf.config(state_path=self.state_dir)
        self.conf.config(connection=self.database_url(), group='database')
        db_api.reset()
        self.addCleanup(db_api.reset)
        policy.reset()
        self.addCleanup(policy.reset)
        migration.upgrade('head')

    def database_url(self):
        return 'sqlite:///' + os.path.join(self.state_dir, 'tacker.sqlite')
