"""message_text: what the isolated reader read of each message, kept at ingestion (store/message_text.py)

Messages stored before this revision have no row: their case page says the text was not kept and
offers the raw message; nothing parses them again.

Revision ID: message_text
Revises: spot_checks
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = 'message_text'
down_revision: Union[str, None] = 'review_screen_at_scale'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('message_text',
    sa.Column('message_row_id', sa.Integer(), nullable=False),
    sa.Column('read', sa.Boolean(), nullable=False),
    sa.Column('from_address', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
    sa.Column('from_name', sa.Text(), nullable=True),
    sa.Column('to_addresses', sa.Text(), nullable=False),
    sa.Column('subject', sa.Text(), nullable=True),
    sa.Column('sent', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('message_id', sqlmodel.sql.sqltypes.AutoString(length=998), nullable=True),
    sa.Column('reference_ids', sa.Text(), nullable=False),
    sa.Column('checks', sa.Text(), nullable=True),
    sa.Column('parts', sa.Text(), nullable=False),
    sa.Column('attachments', sa.Text(), nullable=False),
    sa.Column('problems', sa.Text(), nullable=False),
    sa.Column('warnings', sa.Text(), nullable=False),
    sa.Column('kept_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['message_row_id'], ['message.id'], ),
    sa.PrimaryKeyConstraint('message_row_id')
    )


def downgrade() -> None:
    op.drop_table('message_text')
