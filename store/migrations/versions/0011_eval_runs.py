"""eval runs: each `cme eval` kept with its figures, so the reports page shows them over time

Revision ID: eval_runs
Revises: message_text
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = 'eval_runs'
down_revision: Union[str, None] = 'message_text'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('eval_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ran_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('ran_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('command', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('since', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('messages', sa.Integer(), nullable=False),
    sa.Column('field_f1', sa.Float(), nullable=True),
    sa.Column('category_accuracy', sa.Float(), nullable=True),
    sa.Column('urgent_recall', sa.Float(), nullable=True),
    sa.Column('acknowledge_accuracy', sa.Float(), nullable=True),
    sa.Column('auto_accept_precision', sa.Float(), nullable=True),
    sa.Column('review_rate', sa.Float(), nullable=True),
    sa.Column('ece', sa.Float(), nullable=True),
    sa.Column('extraction_version', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('calibration_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('metrics', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('eval_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eval_run_ran_at'), ['ran_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('eval_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eval_run_ran_at'))
    op.drop_table('eval_run')
