"""DfE return index: the cases a term's return reads, found from a partial index

`ix_case_return` (closed_on) over the cases a return may count (accepted, making enquiries or closed;
never automatic mail): a return reads the open ones (no closing date) and the ones closed since its
term began, each arm from this index, instead of visiting every accepted or closed case (about 45,000
of 100,000 cases, of which a term's return keeps about 5,000). PostgreSQL and SQLite both keep partial
indexes.

Revision ID: dfe_return_index
Revises: eval_runs
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = 'dfe_return_index'
down_revision: Union[str, None] = 'eval_runs'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# store.tables.RETURN_CASES as of this revision (a migration does not follow later code)
RETURN_CASES = "status IN ('accepted', 'enquiries', 'closed') AND category NOT IN ('auto_reply', 'bounce')"


def upgrade() -> None:
    op.create_index('ix_case_return', 'case', ['closed_on'], unique=False,
                    postgresql_where=sa.text(RETURN_CASES), sqlite_where=sa.text(RETURN_CASES))


def downgrade() -> None:
    op.drop_index('ix_case_return', table_name='case')
