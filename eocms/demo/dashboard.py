"""The demo's offline dashboard: one self-contained HTML file drawn by the live dashboard's parts.

The page embeds reporting's dashboard document (``GET /dashboard/data``, the
same document the live ``/dashboard`` draws) and, inline, the same renderer
(``dashboard.js``), style sheets, the vendored chart library (Chart.js 4.6.1)
and both message catalogues, so it opens from a file with no network at all
and reads like the live page, in English or French. ``offline.js`` replaces
the live page's polling: the copy never refreshes, and its download is CSV
made in the browser. A table of every site by SQS follows for readers
without scripts (the script hides it: its own tables say the same).
"""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from services.reporting.entrypoints.dashboard import dashboard_assets, dashboard_messages

if TYPE_CHECKING:
    from eocms.demo.run import DemoResult


def _inline_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True).replace("</", "<\\/")


def _assets() -> tuple[str, str]:
    web = resources.files("chassis.web") / "static"
    own = dashboard_assets()
    styles = "\n".join(
        f.read_text(encoding="utf-8") for f in (web / "web.css", own / "dashboard.css")
    )
    scripts = [
        web / "vendor" / "chart-4.6.1.umd.min.js",
        own / "dashboard.js",
        own / "offline.js",
    ]
    return styles, "\n".join(f"<script>{s.read_text(encoding='utf-8')}</script>" for s in scripts)


def _site_table(document: dict[str, Any], words: dict[str, str]) -> str:
    scopes = document["scopes"]
    sites = sorted(
        (s for s in scopes.values() if s["level"] == "site"), key=lambda s: (-s["sqs"], s["name"])
    )
    e = html.escape
    rows = "".join(
        f"<tr><th scope='row'>{e(s['name'])}</th><td>{e(s.get('provider_id') or '')}</td>"
        f"<td>{e(s.get('region') or '')}</td><td>{s['sqs']:.2f}</td>"
        f"<td>{e(words['dash.meets'] if s['meets_provincial_standard'] else words['dash.below'])}"
        "</td></tr>"
        for s in [*sites, scopes[document["root"]]]
    )
    return (
        "<details><summary>" + e(words["dash.level.site"]) + " · " + e(words["dash.sqs_short"])
        + "</summary><div class='scroll' tabindex='0' role='region' aria-label='"
        + e(words["dash.sqs"]) + "'><table><thead><tr>"
        + "".join(f"<th scope='col'>{e(words[k])}</th>" for k in (
            "dash.level.site", "dash.level.provider", "dash.level.region", "dash.sqs_short",
            "dash.status"))
        + f"</tr></thead><tbody>{rows}</tbody></table></div></details>"
    )  # fmt: skip


def render_dashboard(
    document: dict[str, Any],
    subtitle: str,
    *,
    language: str = "en",
    generated_at: datetime | None = None,
) -> str:
    """The page's HTML for reporting's dashboard document."""
    catalogues = dashboard_messages()
    words = catalogues[language]
    styles, scripts = _assets()
    made = (generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    config = {
        "language": language,
        "messages": words,
        "catalogues": catalogues,
        "generated_at": made,
    }
    e = html.escape
    other = words["lang.switch_code"]
    return (
        f'<!doctype html><html lang="{e(language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(words['dash.title'])} · {e(document['fiscal_year'])}</title>"
        f"<style>{styles}</style></head><body>"
        f'<header class="bar"><div><h1 id="page-title">{e(words["dash.title"])}</h1>'
        f'<p class="note">{e(subtitle)}</p></div>'
        f'<button type="button" class="link" id="language-toggle" lang="{other}">'
        f"{e(words['lang.switch'])}</button></header>"
        f'<main id="dashboard" aria-live="polite"></main>'
        f'<section class="fallback">{_site_table(document, words)}</section>'
        f'<script type="application/json" id="dashboard-config">{_inline_json(config)}</script>'
        f'<script type="application/json" id="dashboard-document">{_inline_json(document)}'
        f"</script>{scripts}</body></html>"
    )


def write_dashboard(path: Path, result: DemoResult) -> Path:
    """Write the dashboard of a demo run to ``path``; return the path."""
    scenario = result.scenario
    document = result.dashboard_document
    subtitle = (
        f"Synthetic province: {len(scenario.province.sites)} sites, "
        f"{scenario.count_clients()} clients. Rule book {document['rulebook_version']}, "
        f"provincial standard {document['provincial_standard']:.2f}."
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_dashboard(document, subtitle), "utf-8")
    return path
