"""reference band keys clustered by document-id segment (WITHOUT ROWID on SQLite)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 03:00:00.000000

The table is rebuilt with a leading ``segment`` column (document_id // 65536) in the primary
key, so adding a batch of documents writes one region of the B-tree. Every row is kept;
downgrading drops the segment again.
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

SEGMENT_SIZE = 65536  # auditor.store.models.SEGMENT_SIZE when this revision was written


def _rebuild(segmented: bool) -> None:
    key = ['segment', 'bucket', 'band', 'document_id'] if segmented else ['band', 'bucket', 'document_id']
    op.create_table('reference_bands_rebuilt',
    *(sa.Column(c, sa.BigInteger() if c == 'bucket' else sa.Integer(), nullable=False) for c in key),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint(*key),
    sqlite_with_rowid=not segmented,
    )
    values = [f'document_id / {SEGMENT_SIZE}' if c == 'segment' else c for c in key]
    op.execute(f"INSERT INTO reference_bands_rebuilt ({', '.join(key)}) "
               f"SELECT {', '.join(values)} FROM reference_bands ORDER BY {', '.join(values)}")
    op.drop_table('reference_bands')
    op.rename_table('reference_bands_rebuilt', 'reference_bands')
    if op.get_bind().dialect.name == 'postgresql':  # keep the constraint names a fresh schema has
        op.execute('ALTER TABLE reference_bands RENAME CONSTRAINT reference_bands_rebuilt_pkey TO reference_bands_pkey')
        op.execute('ALTER TABLE reference_bands RENAME CONSTRAINT reference_bands_rebuilt_document_id_fkey '
                   'TO reference_bands_document_id_fkey')


def upgrade() -> None:
    _rebuild(segmented=True)


def downgrade() -> None:
    _rebuild(segmented=False)
