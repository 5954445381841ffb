"""Start-up shared by the console scripts."""
import sys

from oslo_log import log as logging

from tacker.sol_refactored.common import config
from tacker.sol_refactored.db import api as db_api
from tacker.sol_refactored.db import migration

LOG = logging.getLogger(__name__)
CONF = config.CONF


def setup(argv, name):
    config.parse_args(argv)
    logging.setup(CONF, name)


def ensure_schema():
    """Create or migrate SQLite; refuse a server database not migrated.

    SQLite is the embedded default and is made on first start; MariaDB or
    PostgreSQL schemas are the operator's to migrate.
    """
    url = config.database_connection()
    if migration.is_current():
        return
    if url.startswith('sqlite'):
        LOG.info('Creating or upgrading the SQLite database')
        migration.upgrade('head')
        return
    sys.exit('The database %s is not at the current schema (%s); run '
             '"tacker-db-manage upgrade head" first.' % (
                 db_api.get_engine().url.render_as_string(
                     hide_password=True), migration.head()))
