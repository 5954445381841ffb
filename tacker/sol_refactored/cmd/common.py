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
    """SQLite (the embedded default) is created and migrated on first
    start; a server database must be migrated by the operator."""
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
