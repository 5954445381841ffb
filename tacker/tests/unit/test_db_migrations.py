"""The migrations build exactly the schema the models describe."""
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
