"""review screen at scale: indexes for the queue's order, updates of a case, and the search

- `ix_case_queue_order` (urgent DESC, created_at, id): the queue's order, so a later page of every case is
  read from the index instead of sorting the whole table;
- `ix_case_status_closed_on`: the cases a DfE return counts (open, or closed since the period began);
- `ix_case_update_of_id`: the updates attached to a case (every case page asks);
- `ix_case_search_text_trgm`, `ix_case_reference_trgm`: on PostgreSQL, trigram (pg_trgm) GIN indexes that
  serve the queue search's `LIKE '%words%'`; where the extension cannot be created (a role without the
  right to), and on SQLite, plain indexes of the same names: the search still works, by reading every row;
- `case.return_record`: the record's fields the DfE return reads (a tenth of the record), filled here for
  the cases already stored (as store.queue.return_record_of fills it for new ones and edits).

Revision ID: review_screen_at_scale
Revises: spot_checks
"""
import json
from typing import Any, Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = 'review_screen_at_scale'
down_revision: Union[str, None] = 'model_versions'
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


RETURN_CHILD_FIELDS = ("first_name", "last_name", "date_of_birth", "gender", "date_last_attended", "sen")
BATCH = 2000


def _return_record(record: Any) -> str | None:
    """store.queue.return_record_of as of this revision (a migration does not follow later code)."""
    if not isinstance(record, dict):
        return None

    def kept(node: Any) -> Any:
        return {"value": node.get("value")} if isinstance(node, dict) else node

    source, referrer = record.get("source"), record.get("referrer")
    return json.dumps({
        "source": {"date": source.get("date") if isinstance(source, dict) else None},
        "safeguarding": record.get("safeguarding"),
        "referrer": {"type": kept(referrer.get("type") if isinstance(referrer, dict) else None)},
        "children": [{key: kept(child[key]) for key in RETURN_CHILD_FIELDS if key in child}
                     for child in record.get("children") or () if isinstance(child, dict)],
    }, ensure_ascii=False)


def _fill_return_records() -> None:
    bind = op.get_bind()
    case = sa.table("case", sa.column("id", sa.Integer), sa.column("record", sa.Text),
                    sa.column("return_record", sa.Text))
    last = 0
    while True:
        rows = bind.execute(sa.select(case.c.id, case.c.record).where(case.c.id > last).order_by(case.c.id)
                            .limit(BATCH)).all()
        if not rows:
            return
        values = []
        for case_id, text in rows:
            try:
                compact = _return_record(json.loads(text))
            except ValueError:
                compact = None
            if compact is not None:
                values.append({"case_id": case_id, "compact": compact})
        if values:
            bind.execute(case.update().where(case.c.id == sa.bindparam("case_id"))
                         .values(return_record=sa.bindparam("compact")), values)
        last = rows[-1][0]


def upgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('return_record', sa.Text(), nullable=True))
    _fill_return_records()
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.create_index('ix_case_update_of_id', ['update_of_id'], unique=False)
        batch_op.create_index('ix_case_queue_order', [sa.text('urgent DESC'), 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_case_status_closed_on', ['status', 'closed_on'], unique=False)
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
        batch_op.drop_index('ix_case_status_closed_on')
        batch_op.drop_index('ix_case_queue_order')
        batch_op.drop_index('ix_case_update_of_id')
        batch_op.drop_column('return_record')
