"""reference band keys clustered by their primary key on SQLite (WITHOUT ROWID)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 03:00:00.000000

PostgreSQL has no rowid tables: its schema does not change. On SQLite the table is rebuilt
with the same columns, primary key and rows.
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def _rebuild(with_rowid: bool) -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return
    op.create_table('reference_bands_rebuilt',
    sa.Column('band', sa.Integer(), nullable=False),
    sa.Column('bucket', sa.BigInteger(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('band', 'bucket', 'document_id'),
    sqlite_with_rowid=with_rowid,
    )
    op.execute('INSERT INTO reference_bands_rebuilt (band, bucket, document_id) '
               'SELECT band, bucket, document_id FROM reference_bands ORDER BY band, bucket, document_id')
    op.drop_table('reference_bands')
    op.rename_table('reference_bands_rebuilt', 'reference_bands')


def upgrade() -> None:
    _rebuild(with_rowid=False)


def downgrade() -> None:
    _rebuild(with_rowid=True)
