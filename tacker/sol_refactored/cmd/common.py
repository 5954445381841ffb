"""Start-up shared by the console scripts."""
import sys

from oslo_log import log as logging

from tacker.sol_refactored.common import config
from tacker.sol_refactored.common import secret_store
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
    try:
        if not migration.is_current():
            if not url.startswith('sqlite'):
                sys.exit('The database %s is not at the current schema '
                         '(%s); run "tacker-db-manage upgrade head" '
                         'first.' % (db_api.get_engine().url.render_as_string(
                             hide_password=True), migration.head()))
            LOG.info('Creating or upgrading the SQLite database')
            migration.upgrade('head')
        # The stored secrets must be readable with the configured keys.
        with db_api.get_engine().connect() as connection:
            secret_store.check(connection)
    except secret_store.SealError as e:
        sys.exit(str(e))
