"""duplicate candidates: the keys the duplicate check finds a case's possible duplicates by

`case_key` (case_id, key), indexed by key: for each child a case names (with a name), its date of birth
(`dob:2015-04-03`), its postcode without spaces (`postcode:SO509ZZ`) and its names in sorted order
(`name:poppy quillfeather`), as store.queue.duplicate_keys_of writes them at every save and edit. The
case page's duplicate check reads the cases sharing one of these keys instead of scoring the 20,000 most
recent cases with rapidfuzz. Filled here for the cases already stored.

Revision ID: duplicate_candidates
Revises: dfe_return_index
"""
import json
from typing import Any, Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = 'duplicate_candidates'
down_revision: Union[str, None] = 'dfe_return_index'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

BATCH = 2000
KEY_LENGTH = 200


def _value(node: Any, *path: str) -> str:
    for step in path:
        node = node.get(step) if isinstance(node, dict) else None
    return str(node.get("value") or "").strip() if isinstance(node, dict) else ""


def _keys(record: Any) -> list[str]:
    """store.queue.duplicate_keys_of as of this revision (a migration does not follow later code)."""
    keys: list[str] = []
    children = record.get("children") if isinstance(record, dict) else None
    for child in children if isinstance(children, list) else ():
        if not isinstance(child, dict):
            continue
        name = f"{_value(child, 'first_name')} {_value(child, 'last_name')}".strip().lower()
        if not name:
            continue
        dob = _value(child, "date_of_birth")
        postcode = _value(child, "address", "postcode").replace(" ", "").upper()
        for key in (f"name:{' '.join(sorted(name.split()))}", dob and f"dob:{dob}", postcode and f"postcode:{postcode}"):
            key = key and key.replace("\x00", "")[:KEY_LENGTH]
            if key and key not in keys:
                keys.append(key)
    return keys


def _fill_keys() -> None:
    bind = op.get_bind()
    case = sa.table("case", sa.column("id", sa.Integer), sa.column("record", sa.Text))
    case_key = sa.table("case_key", sa.column("case_id", sa.Integer), sa.column("key", sa.String))
    last = 0
    while True:
        rows = bind.execute(sa.select(case.c.id, case.c.record).where(case.c.id > last).order_by(case.c.id)
                            .limit(BATCH)).all()
        if not rows:
            return
        values = []
        for case_id, text in rows:
            try:
                record = json.loads(text)
            except ValueError:
                continue
            values += [{"case_id": case_id, "key": key} for key in _keys(record)]
        if values:
            bind.execute(case_key.insert(), values)
        last = rows[-1][0]


def upgrade() -> None:
    op.create_table('case_key',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.PrimaryKeyConstraint('case_id', 'key')
    )
    with op.batch_alter_table('case_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_key_key'), ['key'], unique=False)
    _fill_keys()


def downgrade() -> None:
    with op.batch_alter_table('case_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_key_key'))
    op.drop_table('case_key')
