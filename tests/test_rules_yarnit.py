"""Which organization-level rules fire on the canonical YarnIt example, and which stay quiet.

Each expectation is a judgement about the example; the comments give the spec facts behind it.
"""

from __future__ import annotations

import mlorg
from conftest import EXAMPLE

FIRES = {
    "ml-seen-as-magic": "org",  # literacy low, no staff training, ml_leader_in_leadership false
    "no-ml-voice-in-leadership": "org",  # ml_leader_in_leadership false, ambition experimental
    "rule-oriented-culture": "org",  # Westrum mean 4.6
    "no-sre-for-ml": "org",  # underperformer-boost in production; olu is a general sre
    "rewards-ignore-reliability": "org",  # rewards recognise delivery only
    "ml-learning-not-rewarded": "org",  # literacy low, ml_learning not recognised
    "ml-pm-without-ml-experience": "person:lena",  # storefront takes part in ML initiatives
}
QUIET = {
    "no-written-strategy",  # written: true
    "no-integration-point",  # product-review joins recs with storefront and search
    "siloed-ml-team",  # recs sits in product-review
    "power-oriented-culture",
    "isolated-ml-hire",  # both ML people sit in the recs ML team
    "no-ml-community",  # ML staff in one team only
    "no-platform-team",  # one team doing ML
    "tool-divergence",  # only recs declares tools
    "unclear-team-function",  # recs: business_metrics
    "no-experienced-ml",  # maya is experienced
    "experienced-only-hiring",  # two ML staff, and tomas is learning
}
ASKS = {
    "no-experimentation-budget": "practices.experimentation_budget",
    "no-prioritization-process": "practices.prioritization_process",
    "no-idea-intake": "practices.idea_intake",
}


def test_yarnit_findings_from_organization_rules() -> None:
    result = mlorg.assess(mlorg.load_spec(EXAMPLE))
    fired = {(f.rule, f.subject) for f in result.findings}
    for slug, subject in FIRES.items():
        assert (slug, subject) in fired, f"{slug} should fire on {subject}"
    rules = {rule for rule, _ in fired}
    assert not QUIET & rules, f"should stay quiet: {sorted(QUIET & rules)}"
    for slug in ASKS:
        assert slug not in rules
    asked = {q.path: q.settles for q in result.open_questions}
    for slug, path in ASKS.items():
        assert slug in asked.get(path, ()), f"{slug} should ask about {path}"
