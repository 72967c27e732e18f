"""batch crawl state

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 01:06:56.307099
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('crawl_state', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audited_run_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('error', sa.Text(), nullable=True))
        batch_op.create_foreign_key('fk_crawl_state_audited_run_id', 'runs', ['audited_run_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('crawl_state', schema=None) as batch_op:
        batch_op.drop_constraint('fk_crawl_state_audited_run_id', type_='foreignkey')
        batch_op.drop_column('error')
        batch_op.drop_column('audited_run_id')

