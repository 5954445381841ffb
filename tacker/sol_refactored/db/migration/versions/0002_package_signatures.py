"""VNF packages: packageSecurityOption once on-boarded; signingCertificate.

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'


def upgrade():
    # batch mode: SQLite cannot alter a column in place.
    with op.batch_alter_table('vnf_packages') as batch:
        batch.alter_column('packageSecurityOption',
                           existing_type=sa.String(32), nullable=True)
        batch.add_column(sa.Column('signingCertificate', sa.Text))


def downgrade():
    packages = sa.table('vnf_packages',
                        sa.column('packageSecurityOption', sa.String(32)))
    op.execute(packages.update().where(
        packages.c.packageSecurityOption.is_(None)).values(
        packageSecurityOption='OPTION_1'))
    with op.batch_alter_table('vnf_packages') as batch:
        batch.drop_column('signingCertificate')
        batch.alter_column('packageSecurityOption',
                           existing_type=sa.String(32), nullable=False)
