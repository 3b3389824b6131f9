"""spot checks: the cases the gate would have accepted that an officer is shown, to measure its precision

The drift switch itself (auto-accept on or paused, why, since when) is a row of `service_setting`.

Revision ID: spot_checks
Revises: labels_from_decisions
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = 'spot_checks'
down_revision: Union[str, None] = 'labels_from_decisions'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('spot_check',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('sampled_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.PrimaryKeyConstraint('case_id')
    )


def downgrade() -> None:
    op.drop_table('spot_check')
