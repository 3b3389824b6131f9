"""review screen at scale: indexes for the queue's order, updates of a case, and the search

- `ix_case_queue_order` (urgent DESC, created_at, id): the queue's order, so a later page of every case is
  read from the index instead of sorting the whole table;
- `ix_case_update_of_id`: the updates attached to a case (every case page asks);
- `ix_case_search_text_trgm`, `ix_case_reference_trgm`: on PostgreSQL, trigram (pg_trgm) GIN indexes that
  serve the queue search's `LIKE '%words%'`; where the extension cannot be created (a role without the
  right to), and on SQLite, plain indexes of the same names: the search still works, by reading every row.

Revision ID: review_screen_at_scale
Revises: spot_checks
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = 'review_screen_at_scale'
down_revision: Union[str, None] = 'spot_checks'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TRIGRAM = (("ix_case_search_text_trgm", "search_text"), ("ix_case_reference_trgm", "reference"))


def _trigrams_available() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        return True
    except sa.exc.DBAPIError:  # not allowed to create it: plain indexes, the search reads every row
        return False


def upgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.create_index('ix_case_update_of_id', ['update_of_id'], unique=False)
        batch_op.create_index('ix_case_queue_order', [sa.text('urgent DESC'), 'created_at', 'id'], unique=False)
    trigrams = _trigrams_available()
    for name, column in TRIGRAM:
        if trigrams:
            op.create_index(name, 'case', [column], unique=False, postgresql_using='gin',
                            postgresql_ops={column: 'gin_trgm_ops'})
        else:
            op.create_index(name, 'case', [column], unique=False)


def downgrade() -> None:
    for name, _ in TRIGRAM:
        op.drop_index(name, table_name='case')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_queue_order')
        batch_op.drop_index('ix_case_update_of_id')
