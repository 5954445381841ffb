"""Alembic migrations and the calls tacker-db-manage makes."""
import os

from alembic import command
from alembic import config as alembic_config
from alembic import migration
from alembic import script

from tacker.sol_refactored.db import api as db_api

HERE = os.path.dirname(os.path.abspath(__file__))


def _config():
    cfg = alembic_config.Config()
    cfg.set_main_option('script_location', HERE)
    return cfg


def upgrade(revision='head'):
    engine = db_api.get_engine()
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes['connection'] = conn
        command.upgrade(cfg, revision)


def downgrade(revision):
    engine = db_api.get_engine()
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes['connection'] = conn
        command.downgrade(cfg, revision)


def current():
    with db_api.get_engine().connect() as conn:
        context = migration.MigrationContext.configure(conn)
        return context.get_current_revision()


def head():
    return script.ScriptDirectory.from_config(_config()).get_current_head()


def is_current():
    return current() == head()
