"""The dashboard speaks English and French: every label it looks up is in both catalogues."""

from __future__ import annotations

import re

from contracts.caseload import ASSISTED_PARTICIPANT_COMPONENTS
from contracts.rulebook.planning import PlanStatus
from services.reporting.adapters.measures_refresh import rulebooks_in
from services.reporting.app.compliance import COUNTED_FLAGS
from services.reporting.app.scope_indicators import COORDINATION_FIELDS
from services.reporting.entrypoints.dashboard import dashboard_assets, dashboard_messages

PLANNING_KINDS = ("business_plan_late", "business_plan_not_submitted")


def test_both_languages_have_the_same_keys_and_every_key_the_script_uses() -> None:
    messages = dashboard_messages()  # raises when a key is in one language only
    script = "".join(
        (dashboard_assets() / name).read_text(encoding="utf-8")
        for name in ("dashboard.js", "live.js", "offline.js")
    )
    used = set(re.findall(r'"((?:dash|lang|signout)\.[a-z_0-9.]+)"', script))
    used |= {f"dash.level.{level}" for level in ("province", "sites", "region", "provider", "site")}
    flags = ("below_standard", "below_target", "below_commitment", "below_improvement")
    used |= {f"dash.flag.{kind}" for kind in flags}
    used |= {f"dash.period.{p}" for p in ("ytd", "q1", "q2", "q3", "q4")}
    used |= {f"dash.download_{f}" for f in ("csv", "parquet")}
    used |= {f"dash.download_table.{t}" for t in ("indicators", "compliance")}
    kinds = (*COUNTED_FLAGS, "low_response_rate", "business_plan_missing", *PLANNING_KINDS)
    used |= {f"dash.compliance.{kind}" for kind in kinds}
    components = {"all"} | {c.value.replace("-", "_") for c in ASSISTED_PARTICIPANT_COMPONENTS}
    used |= {f"dash.component.{component}" for component in components}
    used |= {f"dash.plan.{status}" for status in ("approved", "not_approved")}
    used |= {f"dash.plan.{status.value.replace('-', '_')}" for status in PlanStatus}
    indicators = (*COORDINATION_FIELDS, "suitability_per_client")
    used |= {f"dash.indicator.{name}" for name in indicators}
    for language in ("en", "fr"):
        known = messages[language]
        missing = {key for key in used if not key.endswith((".", "_")) and key not in known}
        assert missing == set(), language


def test_every_rule_book_measure_and_dimension_label_has_a_french_wording() -> None:
    french = dashboard_messages()["fr"]
    labels = set()
    for rulebook in rulebooks_in(None).values():
        labels |= {measure.label for measure in rulebook.measures.values()}
        labels |= {dimension.label for dimension in rulebook.dimensions.values()}
        plans = None if rulebook.programs is None else rulebook.programs.business_plans
        if plans is not None and plans.calendar is not None:
            labels.add(plans.calendar.late_consequence)  # shown beside a late or missing plan
    assert labels
    assert {label for label in labels if f"label.{label}" not in french} == set()
