"""message claims name their holder and run out unless renewed

Revision ID: message_claim_holder
Revises: 0002_accounts_sign_in
Create Date: 2026-12-06 01:20:00

A claim records the worker that holds it (host, process id, process start, a random part) and
when it runs out; the holder renews it while it works. A claim whose holder is gone (a dead
process on the same host) or whose time ran out is taken over at the next poll.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = 'message_claim_holder'
down_revision: Union[str, None] = '0002_accounts_sign_in'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
        batch_op.add_column(sa.Column('claim_expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_column('claim_expires_at')
        batch_op.drop_column('claimed_by')
