"""Rules: small checks that turn evidence in the spec into findings.

Each family module registers its rules with :func:`mlorg.rules.registry.rule`; importing
this package imports every family, so the registry is complete.
"""

from mlorg.rules.registry import REGISTRY, Rule, all_slugs, get_rule, rule

__all__ = ["REGISTRY", "Rule", "all_slugs", "get_rule", "rule"]
