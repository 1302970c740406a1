"""The shared MQL / SQL definition: ``expectations/lead_definitions.yml``, loaded,
checked, and handed to its two consumers.

- dbt gets it as seeds written by :func:`write_seeds` into ``seeds/lead_definitions/``
  (generated before every parse and build, never edited by hand);
- Great Expectations gets suites built from it at run time (``orchestration/checks``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from orchestration.seed_files import write_csv

REPO = Path(__file__).resolve().parent.parent
DEFINITIONS_FILE = REPO / "expectations" / "lead_definitions.yml"
SEED_DIR = REPO / "seeds" / "lead_definitions"
SEVERITIES = ("warn", "error")
POPULATIONS = {"mql": "mql_at", "sql": "sql_at", "recycled": "recycled_at", "lead": "created_at"}
DEPARTMENTS = ("marketing", "inside_sales", "field_sales", "customer_success")


class DefinitionError(ValueError):
    """The definitions file is not valid; the message names the entry and the problem."""


@dataclass(frozen=True)
class Rule:
    name: str
    owner_department: str
    severity: str
    population: str
    description: str

    @property
    def column(self) -> str:
        return f"violates_{self.name}"


@dataclass(frozen=True)
class Check:
    name: str
    severity: str
    population: str
    rules: tuple[str, ...]
    max_violation_pct: float
    description: str

    @property
    def column(self) -> str:
        return f"check_{self.name}"


@dataclass(frozen=True)
class LeadDefinitions:
    mql_score_threshold: int
    sql_direct_sources: tuple[str, ...]
    sales_departments: tuple[str, ...]
    rules: tuple[Rule, ...]
    checks: tuple[Check, ...]

    def rule(self, name: str) -> Rule:
        for rule in self.rules:
            if rule.name == name:
                return rule
        raise KeyError(name)


def _require(condition: bool, where: str, message: str) -> None:
    if not condition:
        raise DefinitionError(f"{definitions_path()}: {where}: {message}")


def parse(document: dict) -> LeadDefinitions:
    """Validate the YAML document and return it typed."""
    params = document.get("parameters") or {}
    for key in ("mql_score_threshold", "sql_direct_sources", "sales_departments"):
        _require(key in params, "parameters", f"missing {key}")
    rules = []
    for index, raw in enumerate(document.get("rules") or []):
        where = f"rules[{index}] ({raw.get('name', '?')})"
        for key in ("name", "owner_department", "severity", "population", "description"):
            _require(key in raw, where, f"missing {key}")
        _require(raw["severity"] in SEVERITIES, where, f"severity must be one of {SEVERITIES}")
        _require(
            raw["population"] in POPULATIONS,
            where,
            f"population must be one of {tuple(POPULATIONS)}",
        )
        _require(
            raw["owner_department"] in DEPARTMENTS,
            where,
            f"owner_department must be one of {DEPARTMENTS}",
        )
        rules.append(Rule(**{k: raw[k] for k in Rule.__dataclass_fields__}))
    names = [r.name for r in rules]
    _require(len(names) == len(set(names)), "rules", "rule names must be unique")
    checks = []
    for index, raw in enumerate(document.get("checks") or []):
        where = f"checks[{index}] ({raw.get('name', '?')})"
        for key in ("name", "severity", "population", "rules", "max_violation_pct"):
            _require(key in raw, where, f"missing {key}")
        _require(raw["severity"] in SEVERITIES, where, f"severity must be one of {SEVERITIES}")
        pct = float(raw["max_violation_pct"])
        _require(0 <= pct <= 100, where, "max_violation_pct must be between 0 and 100")
        for rule in raw["rules"]:
            _require(rule in names, where, f"unknown rule {rule!r}")
            population = next(r.population for r in rules if r.name == rule)
            _require(
                population == raw["population"],
                where,
                f"rule {rule!r} applies to {population}, not {raw['population']}",
            )
        checks.append(
            Check(
                name=raw["name"],
                severity=raw["severity"],
                population=raw["population"],
                rules=tuple(raw["rules"]),
                max_violation_pct=pct,
                description=raw.get("description", ""),
            )
        )
    return LeadDefinitions(
        mql_score_threshold=int(params["mql_score_threshold"]),
        sql_direct_sources=tuple(params["sql_direct_sources"]),
        sales_departments=tuple(params["sales_departments"]),
        rules=tuple(rules),
        checks=tuple(checks),
    )


def definitions_path() -> Path:
    """The definitions file: ``expectations/lead_definitions.yml``, unless
    KPITREE_LEAD_DEFINITIONS names another (for trying a change before committing it)."""
    return Path(os.environ.get("KPITREE_LEAD_DEFINITIONS") or DEFINITIONS_FILE)


def load(path: Path | None = None) -> LeadDefinitions:
    path = path or definitions_path()
    with path.open(encoding="utf-8") as handle:
        return parse(yaml.safe_load(handle))


def default_definitions() -> LeadDefinitions:
    return load()


def write_seeds(definitions: LeadDefinitions | None = None, seed_dir: Path = SEED_DIR) -> Path:
    """Write the dbt seeds that carry the definitions into SQL."""
    definitions = definitions or load()
    seed_dir.mkdir(parents=True, exist_ok=True)
    write_csv(
        seed_dir / "lead_definition_parameters.csv",
        ["mql_score_threshold"],
        [[definitions.mql_score_threshold]],
    )
    write_csv(
        seed_dir / "lead_definition_direct_sql_sources.csv",
        ["lead_source"],
        [[s] for s in definitions.sql_direct_sources],
    )
    write_csv(
        seed_dir / "lead_definition_sales_departments.csv",
        ["department"],
        [[d] for d in definitions.sales_departments],
    )
    write_csv(
        seed_dir / "lead_definition_rules.csv",
        ["rule", "owner_department", "severity", "population", "description"],
        [
            [r.name, r.owner_department, r.severity, r.population, r.description]
            for r in definitions.rules
        ],
    )
    write_csv(
        seed_dir / "lead_definition_checks.csv",
        ["check_name", "severity", "population", "rules", "max_violation_pct", "description"],
        [
            [
                c.name,
                c.severity,
                c.population,
                " ".join(c.rules),
                c.max_violation_pct,
                c.description,
            ]
            for c in definitions.checks
        ],
    )
    return seed_dir
