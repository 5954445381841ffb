from tacker.sol_refactored.db import migration
from tacker.tests import base


class TestSchema(base.TestCase):
    def test_upgrade_reaches_head(self):
        self.assertTrue(migration.is_current())
