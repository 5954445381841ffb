"""A fresh database per test on SQLite, MariaDB/MySQL or PostgreSQL.

``Database(backend)`` makes a database of its own (``tacker_test_<hex>``)
on the machine's server, points ``[database] connection`` at it, migrates
it to head (unless told not to) and drops it afterwards. The servers are
the ones a developer or CI machine runs locally; where one cannot be
reached the tests that need it skip and say why.

Environment variables move the servers elsewhere:
TACKER_TEST_MYSQL_URL (default mysql+pymysql://root@127.0.0.1:3306) and
TACKER_TEST_POSTGRESQL_URL (default
postgresql+psycopg2://postgres@127.0.0.1:5432).
"""
import os
import uuid

import fixtures
from oslo_config import fixture as config_fixture
import sqlalchemy as sa
import testscenarios
import testtools

from tacker.sol_refactored.common import config
from tacker.sol_refactored.db import api as db_api
from tacker.sol_refactored.db import migration

BACKENDS = ('sqlite', 'mysql', 'postgresql')
CONNECT_TIMEOUT = 3

_SERVER_URLS = {
    'mysql': os.environ.get('TACKER_TEST_MYSQL_URL',
                            'mysql+pymysql://root@127.0.0.1:3306'),
    'postgresql': os.environ.get(
        'TACKER_TEST_POSTGRESQL_URL',
        'postgresql+psycopg2://postgres@127.0.0.1:5432'),
}
# The database the server-level statements connect to.
_ADMIN_DB = {'mysql': '', 'postgresql': 'postgres'}
# Reasons a server could not be used, found once per test process so that
# an absent server costs one connect timeout, not one per test.
_unavailable = {}


def _server_engine(backend):
    url = sa.engine.make_url(_SERVER_URLS[backend]).set(
        database=_ADMIN_DB[backend])
    # Both drivers take connect_timeout in seconds.
    return sa.create_engine(url,
                            connect_args={'connect_timeout': CONNECT_TIMEOUT},
                            isolation_level='AUTOCOMMIT',
                            poolclass=sa.pool.NullPool)


def unavailable(backend):
    """None when the backend's server answers, else why it does not."""
    if backend == 'sqlite':
        return None
    if backend not in _unavailable:
        try:
            with _server_engine(backend).connect() as conn:
                conn.execute(sa.text('SELECT 1'))
            _unavailable[backend] = None
        except Exception as e:
            _unavailable[backend] = (
                '%s server at %s cannot be reached (%s: %s); start it or '
                'set TACKER_TEST_%s_URL' % (
                    backend, _SERVER_URLS[backend], type(e).__name__,
                    str(e).splitlines()[0] if str(e) else '',
                    backend.upper()))
    return _unavailable[backend]


class Database(fixtures.Fixture):
    """A new, uniquely named database used as tacker's database."""

    def __init__(self, backend, migrate=True):
        super().__init__()
        if backend not in BACKENDS:
            raise ValueError('backend must be one of %s' % (BACKENDS,))
        self.backend = backend
        self.migrate = migrate
        self.name = 'tacker_test_%s' % uuid.uuid4().hex[:16]
        self.url = None

    def _setUp(self):
        reason = unavailable(self.backend)
        if reason:
            raise testtools.TestCase.skipException(reason)
        if self.backend == 'sqlite':
            path = self.useFixture(fixtures.TempDir()).path
            self.url = 'sqlite:///%s' % os.path.join(path, self.name)
        else:
            self._create()
        conf = self.useFixture(config_fixture.Config(config.CONF))
        conf.config(connection=self.url, group='database')
        db_api.reset()
        self.addCleanup(db_api.reset)
        if self.migrate:
            migration.upgrade('head')

    def _create(self):
        engine = _server_engine(self.backend)
        with engine.connect() as conn:
            if self.backend == 'mysql':
                conn.execute(sa.text(
                    'CREATE DATABASE %s CHARACTER SET utf8mb4 '
                    'COLLATE utf8mb4_bin' % self.name))
            else:
                conn.execute(sa.text(
                    "CREATE DATABASE %s ENCODING 'UTF8' TEMPLATE template0"
                    % self.name))
        self.addCleanup(self._drop)
        url = sa.engine.make_url(_SERVER_URLS[self.backend]).set(
            database=self.name)
        if self.backend == 'mysql':
            url = url.update_query_dict({'charset': 'utf8mb4'})
        self.url = url.render_as_string(hide_password=False)

    def _drop(self):
        # Our engine's pooled connections would keep the database in use.
        db_api.reset()
        with _server_engine(self.backend).connect() as conn:
            if self.backend == 'mysql':
                conn.execute(sa.text('DROP DATABASE IF EXISTS %s' %
                                     self.name))
            else:
                conn.execute(sa.text('DROP DATABASE IF EXISTS %s '
                                     'WITH (FORCE)' % self.name))


def scenarios():
    """testscenarios' scenarios: one per backend."""
    return [(backend, {'backend': backend}) for backend in BACKENDS]


class BackendTestCase(testscenarios.WithScenarios, testtools.TestCase):
    """Runs each test on every backend; ``self.db`` is the Database."""

    scenarios = scenarios()
    backend = 'sqlite'
    migrate = True

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(config.CONF))
        self.conf.config(
            state_path=self.useFixture(fixtures.TempDir()).path)
        reason = unavailable(self.backend)
        if reason:
            self.skipTest(reason)
        self.db = self.useFixture(Database(self.backend,
                                           migrate=self.migrate))
