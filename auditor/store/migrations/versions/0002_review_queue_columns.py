"""review queue columns

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 00:46:12.643357
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_audit_log_prev_hash', ['prev_hash'])

    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.alter_column('stage', existing_type=sa.String(length=20), nullable=True)
        batch_op.add_column(sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('published_hash', sa.String(length=64), nullable=True))

    with op.batch_alter_table('signoffs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carried_from', sa.Integer(), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint('uq_users_token_hash', ['token_hash'])



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint('uq_users_token_hash', type_='unique')
        batch_op.drop_column('token_hash')

    with op.batch_alter_table('signoffs', schema=None) as batch_op:
        batch_op.drop_column('carried_from')

    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.alter_column('stage', existing_type=sa.String(length=20), nullable=False)
        batch_op.drop_column('published_hash')
        batch_op.drop_column('published_at')

    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_constraint('uq_audit_log_prev_hash', type_='unique')

