"""The KPI tree file (KGI → KSF → KPI) and its SMART check (docs/outputs.md,
`kpitree lint-tree`).

A tree file is YAML::

    title: 営業KPIツリー FY2025          # optional
    root:                                # the KGI
      id: kgi_won_amount                 # unique in the file
      name: 受注金額                     # the label people use
      type: kgi                          # kgi | ksf | kpi
      kpi: won_amount                    # catalog kpi_name: required for kpi, optional otherwise
      owner_department: field_sales      # marketing | inside_sales | field_sales | customer_success
      grain: fiscal_year                 # day | week | month | quarter | fiscal_year
      target: 1400000000                 # in the KPI's unit (count, JPY, percent, ratio)
      note: ...                          # optional free text
      formula:                           # optional: how this node is formed (kpitree tree)
        op: product                      # product | sum | ratio (numerator, denominator)
        of: [won_count, avg_deal_size]   # nodes below it, through KSFs at most
      children: [...]                    # nodes under this one
    identity_tolerance_pct: 0.1          # optional, top level: how far (in %) a formula may
                                         # miss the actuals before `kpitree tree` reports it

A ``formula`` makes the tree arithmetic (orchestration/tree_math.py): 受注金額 = 受注件数 ×
平均受注単価, 受注件数 = 商談数 × 受注率 (商談起点). Its operands are measured nodes below the
node, directly or with only KSFs between (a KSF groups, it is not a number); a node is an
operand of one formula at most. The units must fit (count × JPY per deal is JPY; a percent
enters a product as a fraction): :func:`formula_problems` reports what does not, as a
structural problem. Children a formula does not name are drivers shown in the tree, outside
the arithmetic.

The SMART check, per node:

- S (Specific): a kpi node names what it measures (``kpi:``).
- M (Measurable): the name is a current KPI of the catalog (so it is published); also for a
  KGI or KSF that names one.
- A (Achievable): a kpi node and the KGI have a numeric target (whether it is achievable is
  the user's judgement; that it exists is checked).
- R (Relevant): the root is a KGI and every kpi node hangs under it.
- T (Time-bound): a kpi node and the KGI have a grain, and the KPI is published at that
  grain (the retention KPIs at month / quarter / fiscal_year only, ltv at month only).

Structural problems (a field missing or unknown, an unknown type or department, an id used
twice, a KGI below the root, a KSF below a KPI) are reported beside them.

Every tree file in ``kpi_trees/`` (or the folder ``KPITREE_TREES`` names) that passes the
check reaches dbt as the seed ``kpi_tree_nodes`` (:func:`write_seed`, before every parse
and build); ``metrics.kpi_tree`` judges each node's actual against its target from it, and
the dashboard's tree page shows that. A file that fails the check is left out, with its
problems, rather than stopping the run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from orchestration.catalog import ALL_GRAINS, current_kpis, published_grains, validate_catalog
from orchestration.contract import DEPARTMENTS
from orchestration.seed_files import write_csv

REPO = Path(__file__).resolve().parent.parent
TREES_DIR = REPO / "kpi_trees"
SEED_FILE = REPO / "seeds" / "kpi_trees" / "kpi_tree_nodes.csv"
SEED_COLUMNS = [
    "tree_id", "tree_title", "node_id", "parent_id", "node_order", "depth", "node_name",
    "node_type", "kpi_name", "owner_department", "grain", "target_value", "note",
    "formula_op", "formula_of", "identity_tolerance_pct",
]  # fmt: skip

NODE_TYPES = ("kgi", "ksf", "kpi")
NODE_FIELDS = ("id", "name", "type", "kpi", "owner_department", "grain", "target", "children")
OPTIONAL_NODE_FIELDS = ("note", "formula")
TREE_FIELDS = ("title", "root", "identity_tolerance_pct")
FORMULA_OPS = ("product", "sum", "ratio")
# How far (in %) a formula may miss the actuals before `kpitree tree` reports it.
DEFAULT_IDENTITY_TOLERANCE_PCT = 0.1
SMART = {
    "S": "Specific",
    "M": "Measurable",
    "A": "Achievable",
    "R": "Relevant",
    "T": "Time-bound",
}


class TreeFileError(Exception):
    """The file cannot be read as a KPI tree (missing, not YAML, no root)."""


@dataclass(frozen=True)
class Problem:
    node_id: str
    name: str
    letter: str | None  # a SMART letter, or None for a structural problem
    reason: str

    def __str__(self) -> str:
        where = f"node {self.node_id} ({self.name})"
        if self.letter is None:
            return f"{where}: structure: {self.reason}"
        return f"{where}: breaks {self.letter} ({SMART[self.letter]}): {self.reason}"


@dataclass(frozen=True)
class LintResult:
    problems: list[Problem]
    counts: dict[str, int]  # node type -> number of nodes

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        parts = [f"{self.counts.get(kind, 0)} {kind.upper()}" for kind in NODE_TYPES]
        return ", ".join(parts)


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that rejects a key given twice in one mapping (YAML keeps the last)."""


def _mapping_without_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if isinstance(key, str | int | float | bool) and key in seen:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping",
                node.start_mark,
                f"found the key {key!r} twice",
                key_node.start_mark,
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=True)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)


def load_tree(path: Path) -> dict:
    """The tree file as data. Raises :class:`TreeFileError` with a message for people."""
    path = Path(path)
    if not path.is_file():
        raise TreeFileError(f"{path}: no such file")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TreeFileError(f"{path}: cannot read it: {error}") from error
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = error.problem or error.context or "invalid YAML"
        raise TreeFileError(f"{path}: invalid YAML{where}: {problem}") from error
    except yaml.YAMLError as error:
        raise TreeFileError(f"{path}: invalid YAML: {error}") from error
    if not isinstance(data, dict) or "root" not in data:
        raise TreeFileError(
            f"{path}: not a KPI tree file: expected a mapping with `root:` (the KGI node)"
        )
    unknown = sorted(str(key) for key in data if key not in TREE_FIELDS)
    if unknown:
        raise TreeFileError(
            f"{path}: unknown top-level key(s) {', '.join(unknown)} "
            f"(a tree file has {', '.join(TREE_FIELDS)})"
        )
    return data


def _walk(node: object, where: str, ancestors: tuple[str, ...]) -> Iterator[tuple]:
    """(node, where, ancestor types) depth first; ``where`` locates a node without an id."""
    yield node, where, ancestors
    if not isinstance(node, dict):
        return
    children = node.get("children") or []
    if not isinstance(children, list):
        return
    own_type = node.get("type")
    for index, child in enumerate(children):
        child_where = f"{node.get('id', where)}.children[{index}]"
        yield from _walk(child, child_where, (*ancestors, str(own_type)))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_tree(data: Mapping, catalog: Mapping[str, Mapping] | None = None) -> LintResult:
    """Every problem of the tree, in file order (a node's problems in S, M, A, R, T order)."""
    kpis = current_kpis() if catalog is None else catalog
    # The catalog's own problems (a formula over an undeclared measure, ...), per entry.
    broken: dict[tuple, list[str]] = {}
    for problem in validate_catalog() if catalog is None else ():
        broken.setdefault((problem.kpi, problem.version), []).append(str(problem))
    problems: list[Problem] = []
    counts = dict.fromkeys(NODE_TYPES, 0)
    first_seen: dict[str, str] = {}

    for node, where, ancestors in _walk(data["root"], "root", ()):
        if not isinstance(node, dict):
            problems.append(Problem(f"<{where}>", "?", None, "a node must be a mapping"))
            continue
        node_id = node.get("id")
        label = str(node_id) if node_id not in (None, "") else f"<{where}>"
        name = str(node.get("name") or "?")

        def add(letter: str | None, reason: str, label: str = label, name: str = name) -> None:
            problems.append(Problem(label, name, letter, reason))

        # --- structure ----------------------------------------------------------------
        for required in ("id", "name", "type", "owner_department"):
            if node.get(required) in (None, ""):
                add(None, f"missing field {required}")
        unknown = [k for k in node if k not in NODE_FIELDS + OPTIONAL_NODE_FIELDS]
        for key in unknown:
            add(
                None,
                f"unknown field {key!r} (fields: {', '.join(NODE_FIELDS)}, note, formula)",
            )
        if node_id not in (None, ""):
            if label in first_seen:
                add(None, f"id {label!r} is used twice (first at {first_seen[label]})")
            else:
                first_seen[label] = where
        node_type = node.get("type")
        if node_type not in (None, "") and node_type not in NODE_TYPES:
            add(None, f"unknown type {node_type!r} (kgi, ksf or kpi)")
        department = node.get("owner_department")
        if department not in (None, "") and department not in DEPARTMENTS:
            add(None, f"unknown owner_department {department!r} ({', '.join(DEPARTMENTS)})")
        children = node.get("children")
        if children is not None and not isinstance(children, list):
            add(None, "children must be a list of nodes")
        if node_type == "kgi" and ancestors:
            add(None, "a kgi is the root of the tree, not a node under another")
        if node_type == "ksf" and "kpi" in ancestors:
            add(None, "a ksf hangs under the kgi or another ksf, not under a kpi")
        if node_type in NODE_TYPES:
            counts[node_type] += 1

        # --- SMART --------------------------------------------------------------------
        kpi_name = node.get("kpi")
        entry = None
        if node_type == "kpi" and kpi_name in (None, ""):
            add("S", "names no KPI: give `kpi:` with a kpi_name of the catalog")
        elif kpi_name not in (None, ""):
            entry = kpis.get(str(kpi_name))
            if entry is None:
                add(
                    "M",
                    f"kpi {kpi_name!r} is not a current KPI of the catalog "
                    "(dbt_project/macros/kpi_catalog.yml), so nothing measures it",
                )
            else:
                for problem in broken.get((str(kpi_name), entry.get("version")), []):
                    add("M", f"its catalog entry is broken, so nothing measures it: {problem}")

        target = node.get("target")
        if node_type in ("kpi", "kgi"):
            if target is None:
                add("A", "has no target")
            elif not _is_number(target):
                add("A", f"target {target!r} is not a number")

        if node_type == "kpi" and ancestors and "kgi" not in ancestors:
            add("R", "does not hang under a KGI: put it below the tree's kgi root")
        if not ancestors and node_type != "kgi":
            add("R", f"the root is a {node_type or 'node without type'}, not a KGI")

        grain = node.get("grain")
        if grain in (None, ""):
            if node_type in ("kpi", "kgi"):
                add("T", f"has no grain: by when? ({', '.join(ALL_GRAINS)})")
        elif grain not in ALL_GRAINS:
            add("T", f"unknown grain {grain!r} ({', '.join(ALL_GRAINS)})")
        elif entry is not None and grain not in published_grains(entry):
            add(
                "T",
                f"{kpi_name} is not published at grain {grain} "
                f"(only {', '.join(published_grains(entry))})",
            )
    tolerance = data.get("identity_tolerance_pct")
    if tolerance is not None and (not _is_number(tolerance) or tolerance < 0):
        problems.append(
            Problem("<tree>", "?", None, f"identity_tolerance_pct {tolerance!r} is not a "
                    "number of 0 or more (a percentage: 0.1 means 0.1 %)")
        )  # fmt: skip
    if not any(p.letter is None for p in problems):
        problems.extend(formula_problems(data, kpis))
    return LintResult(problems, counts)


def _formula_operands(node: Mapping) -> dict[str, Mapping]:
    """The nodes a formula of ``node`` may name: its children, and below a KSF child that
    KSF's children (recursively), by id."""
    found: dict[str, Mapping] = {}
    for child in node.get("children") or []:
        if not isinstance(child, dict):
            continue
        found[str(child.get("id"))] = child
        if child.get("type") == "ksf":
            found.update(_formula_operands(child))
    return found


def formula_problems(data: Mapping, catalog: Mapping[str, Mapping] | None = None) -> list[Problem]:
    """The problems of the tree's formulas (empty when it has none or they fit): a formula
    that is not ``{op, of}``, an operand that is not a measured node below it, a node in
    two formulas, and units that do not fit (orchestration.tree_math.unit_problems)."""
    from orchestration.tree_math import TreeMathError, unit_problems

    kpis = current_kpis() if catalog is None else catalog
    problems: list[Problem] = []
    used_by: dict[str, str] = {}
    nodes: dict[str, Mapping] = {}
    for node, _, _ in _walk(data["root"], "root", ()):
        if isinstance(node, dict) and node.get("id") not in (None, ""):
            nodes[str(node["id"])] = node
    formulas: dict[str, tuple[str, list[str]]] = {}
    for node_id, node in nodes.items():
        formula = node.get("formula")
        if formula is None:
            continue

        def add(reason: str, node_id: str = node_id, node: Mapping = node) -> None:
            problems.append(Problem(node_id, str(node.get("name") or "?"), None, reason))

        if not isinstance(formula, dict) or set(formula) != {"op", "of"}:
            add("formula must be {op: product | sum | ratio, of: [node ids]}")
            continue
        op, of = formula["op"], formula["of"]
        if op not in FORMULA_OPS:
            add(f"formula: unknown op {op!r} ({', '.join(FORMULA_OPS)})")
            continue
        if not isinstance(of, list) or not all(isinstance(item, str) for item in of):
            add("formula: `of` must be a list of node ids")
            continue
        if op == "ratio" and len(of) != 2:
            add(f"formula: a ratio has 2 operands (numerator, denominator), not {len(of)}")
            continue
        if op != "ratio" and len(of) < 2:
            add(f"formula: a {op} has at least 2 operands, not {len(of)}")
            continue
        if node.get("kpi") in (None, ""):
            add("formula: a node formed by a formula measures a KPI (give `kpi:`)")
            continue
        below = _formula_operands(node)
        broken = False
        for operand in of:
            if operand not in below:
                add(
                    f"formula: {operand!r} is not a node below it (a child, or under a KSF "
                    f"child); below it: {', '.join(below) or 'nothing'}"
                )
                broken = True
            elif below[operand].get("kpi") in (None, ""):
                add(f"formula: {operand} measures no KPI, so it is not a number")
                broken = True
            elif operand in used_by:
                add(f"formula: {operand} is already an operand of {used_by[operand]}")
                broken = True
            else:
                used_by[operand] = node_id
        if not broken:
            formulas[node_id] = (op, of)
    if problems or not formulas:
        return problems
    try:
        tree = arithmetic_shape(nodes, formulas, kpis)
    except TreeMathError as error:
        return [Problem("<tree>", "?", None, f"formula: {error}")]
    for _, arithmetic in tree:
        for problem in unit_problems(arithmetic):
            # "node <id> (<name>): <what>" from tree_math, said of that node here
            where, _, what = problem.partition(": ")
            node_id = where.removeprefix("node ").split(" (")[0]
            name = str(nodes.get(node_id, {}).get("name") or "?")
            problems.append(Problem(node_id, name, None, f"units: {what}"))
    return problems


def arithmetic_shape(
    nodes: Mapping[str, Mapping],
    formulas: Mapping[str, tuple[str, list[str]]],
    kpis: Mapping[str, Mapping],
) -> list[tuple[str, object]]:
    """Each arithmetic of the tree as (its top node, an ArithmeticTree without values):
    the formula nodes that are no other formula's operand, with everything they are formed
    from."""
    from orchestration.tree_math import build_tree

    operands = {operand for _, of in formulas.values() for operand in of}
    shapes = []
    for top in (node_id for node_id in formulas if node_id not in operands):
        members: list = []
        pending = [top]
        while pending:
            node_id = pending.pop()
            op, of = formulas.get(node_id, (None, []))
            members.append(tree_node(nodes[node_id], kpis, op=op, operands=of))
            pending.extend(of)
        shapes.append((top, build_tree(top, members)))
    return shapes


def tree_node(node: Mapping, kpis: Mapping[str, Mapping], **fields):
    """The arithmetic node of a tree node: its id, name, and from the catalog its KPI's
    unit, direction and benchmark (an average, an amount over a count, is per unit)."""
    from orchestration.tree_math import TreeNode

    entry = kpis[str(node["kpi"])]
    return TreeNode(
        id=str(node["id"]),
        name=str(node.get("name") or node["id"]),
        unit=entry["unit"],
        direction=entry["direction"],
        benchmark=entry.get("benchmark"),
        per_unit=entry["kind"] == "amount" and bool(entry.get("denominator")),
        **fields,
    )


def lint_file(path: Path) -> LintResult:
    """Load and check a tree file; :class:`TreeFileError` when it is not one."""
    return check_tree(load_tree(path))


def trees_dir() -> Path:
    """The folder of tree files: ``KPITREE_TREES`` or the project's ``kpi_trees/``."""
    return Path(os.environ.get("KPITREE_TREES") or TREES_DIR)


def node_rows(tree_id: str, data: Mapping) -> list[list]:
    """The seed rows of one checked tree: its nodes depth first (the file's order), each
    with its parent and depth."""
    rows: list[list] = []

    def visit(node: Mapping, parent: str | None, depth: int) -> None:
        rows.append(
            [
                tree_id,
                data.get("title") or tree_id,
                node["id"],
                parent,
                len(rows) + 1,
                depth,
                node["name"],
                node["type"],
                node.get("kpi"),
                node["owner_department"],
                node.get("grain"),
                node.get("target"),
                node.get("note"),
                (node.get("formula") or {}).get("op"),
                " ".join((node.get("formula") or {}).get("of") or []) or None,
                data.get("identity_tolerance_pct", DEFAULT_IDENTITY_TOLERANCE_PCT),
            ]
        )
        for child in node.get("children") or []:
            visit(child, node["id"], depth + 1)

    visit(data["root"], None, 0)
    return rows


def write_seed(folder: Path | None = None, seed_file: Path = SEED_FILE) -> list[str]:
    """Write the nodes of every tree file in ``folder`` (``*.yml``, ``*.yaml``; the tree's
    id is the file's stem) into the seed ``kpi_tree_nodes``. Returns a message per file
    left out because it is not a tree or fails the check."""
    folder = trees_dir() if folder is None else folder
    files = sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")]) if folder.is_dir() else []
    rows: list[list] = []
    skipped: list[str] = []
    ids: dict[str, Path] = {}
    for path in files:
        if path.stem in ids:
            skipped.append(f"KPI tree left out: {path}: its id {path.stem!r} is {ids[path.stem]}'s")
            continue
        ids[path.stem] = path
        try:
            data = load_tree(path)
        except TreeFileError as error:
            skipped.append(f"KPI tree left out: {error}")
            continue
        result = check_tree(data)
        if not result.ok:
            problems = "; ".join(str(problem) for problem in result.problems)
            skipped.append(
                f"KPI tree left out: {path}: {len(result.problems)} problem(s) "
                f"(kpitree lint-tree {path}): {problems}"
            )
            continue
        rows.extend(node_rows(path.stem, data))
    write_csv(seed_file, SEED_COLUMNS, rows)
    return skipped
