"""The migrations build exactly the schema the models describe."""
import datetime

from alembic import autogenerate
from alembic import migration as alembic_migration
import sqlalchemy as sa

from tacker.sol_refactored.db import api as db_api
from tacker.sol_refactored.db import migration
from tacker.sol_refactored.db import models
from tacker.tests import db_backends

VERSION_TABLE = 'alembic_version'


def _not_version_table(obj, name, type_, reflected, compare_to):
    return not (type_ == 'table' and name == VERSION_TABLE)


class TestMigrations(db_backends.BackendTestCase):
    migrate = False

    def tables(self):
        return set(sa.inspect(db_api.get_engine()).get_table_names())

    def differences(self):
        with db_api.get_engine().connect() as conn:
            context = alembic_migration.MigrationContext.configure(
                conn, opts={'compare_type': True,
                            'compare_server_default': True,
                            'include_object': _not_version_table})
            return autogenerate.compare_metadata(context,
                                                 models.Base.metadata)

    def test_starts_empty(self):
        self.assertEqual(set(), self.tables())
        self.assertIsNone(migration.current())

    def test_upgrade_head_matches_models(self):
        migration.upgrade('head')
        self.assertTrue(migration.is_current())
        self.assertEqual(set(models.Base.metadata.tables) | {VERSION_TABLE},
                         self.tables())
        self.assertEqual([], self.differences())

    def test_downgrade_to_base_and_up_again(self):
        migration.upgrade('head')
        migration.downgrade('base')
        self.assertEqual(set(), self.tables() - {VERSION_TABLE})
        self.assertIsNone(migration.current())
        migration.upgrade('head')
        self.assertEqual(migration.head(), migration.current())
        self.assertEqual([], self.differences())

    def test_comparison_sees_a_missing_index(self):
        # Guards the test above: a schema that differs must be reported.
        migration.upgrade('head')
        index = next(iter(models.VnfLcmOpOcc.__table__.indexes))
        with db_api.get_engine().begin() as conn:
            index.drop(conn)
        self.assertIn(('add_index', index.name),
                      [(d[0], d[1].name) for d in self.differences()
                       if isinstance(d, tuple)])


class TestProjectScopingMigration(db_backends.BackendTestCase):
    """0003 gives the rows it finds to [DEFAULT] default_project_id."""
    migrate = False

    def _rows_before_0003(self):
        migration.upgrade('0002')
        now = datetime.datetime(2024, 1, 2, 3, 4, 5)
        packages = sa.table('vnf_packages', *[sa.column(c) for c in (
            'id', 'onboardingState', 'operationalState', 'usageState',
            'createdAt')])
        subscriptions = sa.table('lccn_subscriptions', *[
            sa.column(c) for c in ('id', 'callbackUri', 'verbosity',
                                   'createdAt')])
        with db_api.get_engine().begin() as conn:
            conn.execute(packages.insert().values(
                id='pkg', onboardingState='CREATED',
                operationalState='DISABLED', usageState='NOT_IN_USE',
                createdAt=now))
            conn.execute(subscriptions.insert().values(
                id='subsc', callbackUri='http://nfvo.example/',
                verbosity='FULL', createdAt=now))

    def _owners(self):
        with db_api.get_engine().connect() as conn:
            return {name: set(conn.execute(sa.select(
                sa.table(name, sa.column('projectId')).c.projectId))
                .scalars())
                for name in ('vnf_packages', 'lccn_subscriptions')}

    def test_existing_rows_go_to_the_default_project(self):
        self._rows_before_0003()
        self.conf.config(default_project_id='ops-project')
        migration.upgrade('head')
        self.assertEqual({'vnf_packages': {'ops-project'},
                          'lccn_subscriptions': {'ops-project'}},
                         self._owners())

    def test_without_a_default_existing_rows_are_admin_only(self):
        self._rows_before_0003()
        migration.upgrade('head')
        self.assertEqual({'vnf_packages': {None},
                          'lccn_subscriptions': {None}}, self._owners())
        migration.downgrade('0002')
        columns = {c['name'] for c in sa.inspect(
            db_api.get_engine()).get_columns('vnf_packages')}
        self.assertNotIn('projectId', columns)
