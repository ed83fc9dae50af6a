"""A site's business-plan commitments for a fiscal year, as reporting uses them.

Defined here, not in ``contracts``: programs' business-plan events are mapped
onto this model by the projection.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from contracts.rulebook import check_fiscal_year


class BusinessPlanCommitment(BaseModel):
    """Schedule B commitments, planned assisted clients and continuous improvement targets."""

    model_config = ConfigDict(frozen=True)

    site_id: str = Field(examples=["S001"])
    fiscal_year: Annotated[str, AfterValidator(check_fiscal_year)] = Field(examples=["2012-13"])
    measure_commitments: dict[str, Decimal] = Field(
        default_factory=dict,
        description="Committed actual per measure id, as a fraction (0.85 = 85%).",
        examples=[{"customer_satisfaction": "0.90"}],
    )
    planned_assisted_clients: int = Field(
        ge=0, description="Assisted clients planned for the whole fiscal year."
    )
    improvement_commitments: dict[str, Decimal] = Field(
        default_factory=dict,
        description="Continuous improvement: measure id to the actual aimed at (fraction).",
        examples=[{"client_suitability": "0.45"}],
    )
