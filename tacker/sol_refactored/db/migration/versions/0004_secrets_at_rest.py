"""Secrets at rest: encrypt what is stored, when a key is configured.

No schema change: the secrets inside instances' vimConnectionInfo, op
occurrences' operationParams and stepRecord and subscriptions'
authentication are encrypted with the first key of
``[DEFAULT] secret_key_file`` (see common/secret_store). Without a key
file nothing changes; ``tacker-db-manage encrypt-secrets`` does the same
later. Downgrade leaves the values encrypted (the key still reads them).

Revision ID: 0004
Revises: 0003
"""
from alembic import op

from tacker.sol_refactored.common import secret_store

revision = '0004'
down_revision = '0003'


def upgrade():
    secret_store.reseal_all(op.get_bind())


def downgrade():
    pass
