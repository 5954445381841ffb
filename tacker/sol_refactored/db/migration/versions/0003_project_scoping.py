"""Project scoping: the Keystone project owning each resource.

Adds ``projectId`` (indexed) to VNF packages, instances, LCM operation
occurrences and subscriptions. Rows that exist already get
``[DEFAULT] default_project_id`` when it is set; otherwise they stay
NULL, which only admins see.

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

from tacker.sol_refactored.common import config

revision = '0003'
down_revision = '0002'

TABLES = ('vnf_packages', 'vnf_instances', 'vnf_lcm_op_occs',
          'lccn_subscriptions')
COLUMN = 'projectId'


def _index(table):
    # The name SQLAlchemy gives the models' index=True.
    return 'ix_%s_%s' % (table, COLUMN)


def upgrade():
    owner = config.CONF.default_project_id
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column(COLUMN, sa.String(64)))
            batch.create_index(_index(table), [COLUMN])
        if owner:
            rows = sa.table(table, sa.column(COLUMN, sa.String(64)))
            op.execute(rows.update().values({COLUMN: owner}))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_index(_index(table))
            batch.drop_column(COLUMN)
