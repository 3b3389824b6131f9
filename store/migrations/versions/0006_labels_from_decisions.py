"""labels: a message's record as an officer left it (or as imported), for measuring extraction

Revision ID: labels_from_decisions
Revises: 0002_accounts_sign_in
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = 'labels_from_decisions'
down_revision: Union[str, None] = '0002_council_directory'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('label',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_row_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.Text(), nullable=False),
    sa.Column('origin', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('decision', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('labelled_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('labelled_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.ForeignKeyConstraint(['message_row_id'], ['message.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('message_row_id')
    )
    with op.batch_alter_table('label', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_label_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_label_labelled_at'), ['labelled_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('label', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_label_labelled_at'))
        batch_op.drop_index(batch_op.f('ix_label_case_id'))
    op.drop_table('label')
