"""The first schema: instances, op occs, subscriptions, packages, conductors.

Revision ID: 0001
Revises:
"""
from alembic import op
import sqlalchemy as sa

from tacker.sol_refactored.db.types import Json

revision = '0001'
down_revision = None


def upgrade():
    op.create_table(
        'vnf_instances',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('vnfInstanceName', sa.String(255)),
        sa.Column('vnfInstanceDescription', sa.Text),
        sa.Column('vnfdId', sa.String(255), nullable=False),
        sa.Column('vnfProvider', sa.String(255), nullable=False),
        sa.Column('vnfProductName', sa.String(255), nullable=False),
        sa.Column('vnfSoftwareVersion', sa.String(255), nullable=False),
        sa.Column('vnfdVersion', sa.String(255), nullable=False),
        sa.Column('vnfConfigurableProperties', Json),
        sa.Column('vimConnectionInfo', Json),
        sa.Column('instantiationState', sa.String(32), nullable=False),
        sa.Column('instantiatedVnfInfo', Json),
        sa.Column('metadata', Json),
        sa.Column('extensions', Json),
        sa.Column('busyLcmOpOccId', sa.String(36)),
        sa.Column('createdAt', sa.DateTime, nullable=False),
    )
    op.create_table(
        'vnf_lcm_op_occs',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('operationState', sa.String(32), nullable=False),
        sa.Column('stateEnteredTime', sa.DateTime, nullable=False),
        sa.Column('startTime', sa.DateTime, nullable=False),
        sa.Column('vnfInstanceId', sa.String(36), nullable=False,
                  index=True),
        sa.Column('grantId', sa.String(36)),
        sa.Column('operation', sa.String(32), nullable=False),
        sa.Column('isAutomaticInvocation', sa.Boolean, nullable=False),
        sa.Column('operationParams', Json),
        sa.Column('isCancelPending', sa.Boolean, nullable=False),
        sa.Column('cancelMode', sa.String(32)),
        sa.Column('error', Json),
        sa.Column('resourceChanges', Json),
        sa.Column('changedInfo', Json),
        sa.Column('changedExtConnectivity', Json),
        sa.Column('stepRecord', Json),
        sa.Column('ownerConductorId', sa.String(36), index=True),
        sa.Column('requestId', sa.String(64)),
    )
    op.create_table(
        'lccn_subscriptions',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('filter', Json),
        sa.Column('callbackUri', sa.String(2048), nullable=False),
        sa.Column('authentication', Json),
        sa.Column('verbosity', sa.String(16), nullable=False),
        sa.Column('createdAt', sa.DateTime, nullable=False),
    )
    op.create_table(
        'vnf_packages',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('vnfdId', sa.String(255), unique=True),
        sa.Column('vnfProvider', sa.String(255)),
        sa.Column('vnfProductName', sa.String(255)),
        sa.Column('vnfSoftwareVersion', sa.String(255)),
        sa.Column('vnfdVersion', sa.String(255)),
        sa.Column('checksum', Json),
        sa.Column('packageSecurityOption', sa.String(32), nullable=False),
        sa.Column('softwareImages', Json),
        sa.Column('additionalArtifacts', Json),
        sa.Column('onboardingState', sa.String(32), nullable=False),
        sa.Column('operationalState', sa.String(32), nullable=False),
        sa.Column('usageState', sa.String(32), nullable=False),
        sa.Column('userDefinedData', Json),
        sa.Column('onboardingFailureDetails', Json),
        sa.Column('vnfdSummary', Json),
        sa.Column('createdAt', sa.DateTime, nullable=False),
    )
    op.create_table(
        'conductors',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('host', sa.String(255), nullable=False),
        sa.Column('startedAt', sa.DateTime, nullable=False),
        sa.Column('heartbeatAt', sa.DateTime, nullable=False, index=True),
    )


def downgrade():
    for table in ('conductors', 'vnf_packages', 'lccn_subscriptions',
                  'vnf_lcm_op_occs', 'vnf_instances'):
        op.drop_table(table)
