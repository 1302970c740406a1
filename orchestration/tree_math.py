"""The arithmetic of a KPI tree: identity checks, elasticities, the bottleneck and goal seek.

A KPI tree says which KPI hangs under which. This module adds *how* a parent is formed from
its children — by ``product``, ``sum`` or ``ratio`` — and what follows from that for the KGI
(the root). Every value is an exact fraction (``Fraction``), never a binary float; an input
given as a float is read by its shortest decimal form (0.1 is 1/10, see
:func:`orchestration.plan.exact`).

Nodes
-----
Each node (:class:`TreeNode`) has a ``unit`` — ``count``, ``JPY``, ``percent`` or ``ratio``,
the catalog unit of its KPI — and either

- an ``op`` and ``operands``: a *formula node*, formed from the operands (its children), or
- no ``op``: a *lever*, an input of the arithmetic.

``per_unit`` marks an average (an amount or a count per something: average deal size is JPY
per deal). ``direction`` is ``higher_is_better`` (the default) or ``lower_is_better``. A node
may carry an ``actual``, a ``target`` and a ``benchmark``, in its unit (25 means 25 %).

:func:`build_tree` (or :class:`ArithmeticTree` itself) refuses, naming the node: an operand
that is not a node, a cycle, a node that is an operand of two parents (or twice of one), a
ratio without exactly 2 operands (numerator, then denominator), a product or sum with fewer
than 2, operands without an ``op``, and an unknown op, unit or direction.

The levers of a tree are the nodes without an ``op`` reachable from the root; "depth-first
operand order" is the order of a walk from the root that visits each node before its
operands, operands in the order they are listed.

Formulas
--------
- A ``percent`` value enters a ``product`` as value ÷ 100 (25 % → 0.25); it enters a ``sum``
  or a ``ratio`` as it is (25).
- ``product`` = the product of the operands (the percent ones ÷ 100), × 100 when the node's
  own unit is ``percent``::

      won_count  = meeting_count × meeting_win_rate   200 × 10 % = 200 × 0.10 = 20
      won_amount = won_count × avg_deal_size          20 × 3,000,000 = 60,000,000

- ``sum`` = the sum of the operands.
- ``ratio`` = first ÷ second, × 100 when the node's unit is ``percent`` and neither operand
  is a percent (won 20 ÷ meetings 200 as a percent is 10). A denominator of 0 leaves the
  node without a value (None).
- An operand without a value leaves its parent without one, and so on up.

:func:`evaluate` computes every node reachable from the root from the levers' values.

Units
-----
:func:`unit_problems` gives each node a dimension vector: count → count¹, JPY → JPY¹,
percent and ratio → dimensionless; with ``per_unit``, JPY → JPY¹·count⁻¹ (an amount per
deal) and count → dimensionless (a count per something countable). A product adds its
operands' vectors, a ratio subtracts the denominator's from the numerator's, and a sum needs
every operand to have the node's own vector. A node whose vector differs from what its
operands make is a problem (won_count × avg_deal_size is count × JPY per count = JPY: fine;
won_count × meeting_win_rate is count, not JPY: a problem). A sum that mixes a percent with
a non-percent dimensionless value (25 + 0.5) is a problem too.

Identity check
--------------
:func:`identity_checks` recomputes each formula node from its operands' *own actuals*, one
level only (not from the levers), and compares it with the node's actual::

    difference_pct = (computed − actual) ÷ |actual| × 100
    holds          = |difference_pct| <= tolerance_pct

When the actual is 0, ``difference_pct`` is 0 if the computed value is 0 too (it holds) and
None otherwise (it does not). A node with a missing actual, or a denominator of 0, gets a
check with ``holds`` None and the reason.

Analysis (:func:`analyse`)
--------------------------
Everything is relative to the root, the KGI. The baseline is the tree evaluated on the
levers' actuals (the formula nodes' own actuals are not used). Every lever needs an actual,
and the KGI baseline must be a number other than 0.

1. **Elasticity** of a lever: the % change of the KGI for +1 % on the lever, others held::

       elasticity_pct = (KGI(lever × 101/100) ÷ KGI(baseline) − 1) × 100

   It is exactly 1 for every lever of a pure product, the lever's share of the total for a
   sum (30 of 30 + 70 → 0.3), and (100/101 − 1) × 100 = −100/101 for a ratio's denominator.

2. **Gap cost and the bottleneck**: every node reachable from the root except the root
   itself — levers and formula nodes — is put alone at its reference (its ``target``, else
   its ``benchmark``; a node with neither is left out): its value is replaced (a formula
   node's value overrides what its operands make), the nodes above it are recomputed, and
   ``kgi_gain = kgi_at_reference − kgi_baseline``. A node is *behind* when its baseline
   value is worse than its reference in its direction (higher_is_better: value < reference;
   lower_is_better: value > reference). The bottleneck is the behind node with the largest
   ``kgi_gain`` (a tie goes to the node first in depth-first operand order); when no node is
   behind there is none. A node that is ahead is reported with its gain but is never the
   bottleneck.

3. **Goal seek, one lever at a time**: the value a lever must take, the others held, for
   the KGI to equal the target exactly, by inverting the formulas on the path from the root
   down to the lever (R = the value the parent must take; the other operands at baseline):

   - product: operand = R ÷ (product of the other operands' factors), with R ÷ 100 first when
     the parent is a percent and × 100 at the end when the operand is a percent;
   - sum: operand = R − (sum of the others);
   - ratio numerator: R × denominator (÷ 100 when the ratio's × 100 applies);
   - ratio denominator: numerator ÷ R (× 100 when the ratio's × 100 applies).

   ``change_pct = (required ÷ actual − 1) × 100``. The result is not feasible, with the
   reason, when it is negative, 0 or less for a count or JPY lever, a percent over 100 (the
   number is still reported), or cannot be had at all (a division by 0: the value is None).

4. **Goal seek, balanced**: one common relative change g for every lever, in the direction
   that raises the KGI: a lever with a positive elasticity becomes actual × (1 + g), one with
   a negative elasticity actual ÷ (1 + g), one with zero elasticity stays. g is found by
   bisection over fractions (g > −1; negative when the target is below the baseline) until
   the KGI is within a relative 1e-12 of the target and g within 1e-12, then reported
   rounded to 1e-9 — up by 1e-9 when the rounded g falls short of the target, so the KGI
   under it is at least the target; the levers' values and the KGI are those under it. For a
   pure product of n levers, g = (target ÷ baseline)^(1/n) − 1.

Every result has ``as_dict()`` for JSON: each number as a float rounded to 6 decimals, and
the exact fraction as a string ("p/q", or "p" for a whole number) under the same key with
``_exact`` appended.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from fractions import Fraction
from functools import cached_property
from itertools import pairwise
from types import MappingProxyType
from typing import Literal

from orchestration.plan import Number, PlanError, exact

Op = Literal["product", "sum", "ratio"]
OPS: tuple[str, ...] = ("product", "sum", "ratio")
UNITS = ("count", "JPY", "percent", "ratio")
DIRECTIONS = ("higher_is_better", "lower_is_better")

# +1 % on a lever, for its elasticity.
PLUS_ONE_PERCENT = Fraction(101, 100)
# Balanced goal seek: stop when the KGI is within this relative error of the target and the
# bracket of g is narrower than G_PRECISION; report g rounded to 10 ** -G_DIGITS.
KGI_TOLERANCE = Fraction(1, 10**12)
G_PRECISION = Fraction(1, 10**12)
G_DIGITS = 9
_MAX_DOUBLINGS = 64
_MAX_BISECTIONS = 400

_DIMENSIONLESS = ("percent", "ratio")


class TreeMathError(ValueError):
    """The tree or an input cannot be used for the arithmetic (says which node and why).

    ``problems`` lists every problem found when there are several (:func:`build_tree`).
    """

    def __init__(self, message: str, problems: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.problems: tuple[str, ...] = tuple(problems) or (message,)


def _exact(value: Number, what: str) -> Fraction:
    try:
        return exact(value, what)
    except PlanError as error:
        raise TreeMathError(str(error)) from error


@dataclass(frozen=True)
class TreeNode:
    """One node of the arithmetic: a formula node (``op`` set) or a lever (``op`` None).

    ``actual``, ``target`` and ``benchmark`` are in the node's unit (25 means 25 %); any
    number is accepted and kept as an exact ``Fraction``.
    """

    id: str
    name: str  # the label people use, e.g. 受注金額
    unit: str  # count | JPY | percent | ratio (the catalog unit of the KPI)
    op: str | None = None  # product | sum | ratio; None = a lever
    operands: tuple[str, ...] = ()  # ratio: numerator, then denominator
    actual: Fraction | None = None
    target: Fraction | None = None
    benchmark: Fraction | None = None
    direction: str = "higher_is_better"  # or lower_is_better
    per_unit: bool = False  # an average: an amount or count per something

    def __post_init__(self) -> None:
        if isinstance(self.operands, str):
            raise TreeMathError(
                f"node {self.label}: operands must be a list of node ids, not the string "
                f"{self.operands!r}"
            )
        object.__setattr__(self, "operands", tuple(self.operands))
        for field_name in ("actual", "target", "benchmark"):
            value = getattr(self, field_name)
            if value is not None:
                number = _exact(value, f"node {self.label}: {field_name}")
                object.__setattr__(self, field_name, number)

    @property
    def label(self) -> str:
        """``id (name)``, as messages name a node."""
        return f"{self.id} ({self.name})"

    @property
    def is_lever(self) -> bool:
        return self.op is None

    def is_worse(self, value: Fraction, reference: Fraction) -> bool:
        """Whether ``value`` is worse than ``reference`` in this node's direction."""
        if self.direction == "lower_is_better":
            return value > reference
        return value < reference


def _structure_problems(root: str, nodes: Mapping[str, TreeNode]) -> list[str]:
    problems: list[str] = []
    if root not in nodes:
        problems.append(f"the root {root!r} is not a node of the tree")
    parents: dict[str, list[str]] = {}
    for key, node in nodes.items():
        if not isinstance(node, TreeNode):
            problems.append(f"{key!r} is not a TreeNode but {type(node).__name__}")
            continue
        if key != node.id:
            problems.append(f"node {node.label} is filed under the id {key!r}")
        if node.unit not in UNITS:
            problems.append(
                f"node {node.label}: unknown unit {node.unit!r} (one of {', '.join(UNITS)})"
            )
        if node.direction not in DIRECTIONS:
            problems.append(
                f"node {node.label}: unknown direction {node.direction!r} "
                f"(one of {', '.join(DIRECTIONS)})"
            )
        count = len(node.operands)
        if node.op is None:
            if count:
                problems.append(
                    f"node {node.label}: has operands ({', '.join(node.operands)}) but no op "
                    f"(one of {', '.join(OPS)})"
                )
        elif node.op not in OPS:
            problems.append(f"node {node.label}: unknown op {node.op!r} (one of {', '.join(OPS)})")
        elif node.op == "ratio" and count != 2:
            problems.append(
                f"node {node.label}: a ratio takes exactly 2 operands (numerator, then "
                f"denominator), it has {count}"
            )
        elif node.op != "ratio" and count < 2:
            problems.append(
                f"node {node.label}: a {node.op} takes at least 2 operands, it has {count}"
            )
        seen: set[str] = set()
        for operand in node.operands:
            if operand in seen:
                problems.append(f"node {node.label}: lists {operand} twice among its operands")
                continue
            seen.add(operand)
            if operand not in nodes:
                problems.append(f"node {node.label}: operand {operand!r} is not a node")
                continue
            parents.setdefault(operand, []).append(key)
    for operand, its_parents in parents.items():
        if len(its_parents) > 1:
            problems.append(
                f"node {nodes[operand].label} is an operand of {' and '.join(its_parents)}: "
                "a node is formed into one parent only"
            )
    problems.extend(_cycles(nodes))
    return problems


def _cycles(nodes: Mapping[str, TreeNode]) -> list[str]:
    """One message per cycle of operands (a → b → a)."""
    problems: list[str] = []
    done: set[str] = set()
    for start in nodes:
        if start in done:
            continue
        # Iterative depth-first walk; `path` is the chain of nodes being visited.
        path: list[str] = [start]
        on_path = {start}
        pending: list[list[str]] = [list(_operands(nodes, start))]
        while path:
            if not pending[-1]:
                finished = path.pop()
                on_path.discard(finished)
                done.add(finished)
                pending.pop()
                continue
            operand = pending[-1].pop(0)
            if operand in on_path:
                loop = [*path[path.index(operand) :], operand]
                problems.append(f"cycle: {' → '.join(loop)} (a node cannot be formed from itself)")
            elif operand not in done:
                path.append(operand)
                on_path.add(operand)
                pending.append(list(_operands(nodes, operand)))
    return problems


def _operands(nodes: Mapping[str, TreeNode], node_id: str) -> tuple[str, ...]:
    node = nodes.get(node_id)
    if not isinstance(node, TreeNode):
        return ()
    return tuple(operand for operand in node.operands if operand in nodes)


@dataclass(frozen=True)
class ArithmeticTree:
    """A checked tree: ``nodes`` by id and the ``root`` (the KGI).

    Creating one checks the structure (see the module docstring) and raises
    :class:`TreeMathError` listing every problem. ``nodes`` is kept read-only.
    """

    root: str
    nodes: Mapping[str, TreeNode]

    def __post_init__(self) -> None:
        nodes = MappingProxyType(dict(self.nodes))
        object.__setattr__(self, "nodes", nodes)
        problems = _structure_problems(self.root, nodes)
        if problems:
            raise TreeMathError(
                "the tree's arithmetic is not valid: " + "; ".join(problems), problems
            )

    @classmethod
    def build(cls, root: str, nodes: Mapping[str, TreeNode]) -> ArithmeticTree:
        return cls(root, nodes)

    @cached_property
    def order(self) -> tuple[str, ...]:
        """The nodes reachable from the root in depth-first operand order (root first)."""
        order: list[str] = []
        stack = [self.root]
        while stack:
            node_id = stack.pop()
            order.append(node_id)
            stack.extend(reversed(self.nodes[node_id].operands))
        return tuple(order)

    @cached_property
    def levers(self) -> tuple[str, ...]:
        """The levers (reachable nodes without an op) in depth-first operand order."""
        return tuple(node_id for node_id in self.order if self.nodes[node_id].is_lever)

    @cached_property
    def parents(self) -> Mapping[str, str]:
        """The parent of every reachable node but the root."""
        return MappingProxyType(
            {operand: node_id for node_id in self.order for operand in self.nodes[node_id].operands}
        )

    def path_to(self, node_id: str) -> tuple[str, ...]:
        """The nodes from the root down to ``node_id`` (both included)."""
        if node_id != self.root and node_id not in self.parents:
            raise TreeMathError(f"{node_id!r} is not a node reachable from the root {self.root}")
        path = [node_id]
        while path[-1] != self.root:
            path.append(self.parents[path[-1]])
        return tuple(reversed(path))


def build_tree(root: str, nodes: Mapping[str, TreeNode] | Iterable[TreeNode]) -> ArithmeticTree:
    """The checked tree of ``nodes`` (a mapping by id, or the nodes themselves) under ``root``.

    Raises :class:`TreeMathError` naming every node that is wrong and why.
    """
    if not isinstance(nodes, Mapping):
        listed = list(nodes)
        by_id = {node.id: node for node in listed}
        if len(by_id) != len(listed):
            ids = [node.id for node in listed]
            twice = sorted({node_id for node_id in ids if ids.count(node_id) > 1})
            raise TreeMathError(f"node id used twice: {', '.join(twice)}")
        nodes = by_id
    return ArithmeticTree(root, nodes)


# --- evaluation -----------------------------------------------------------------------------


def _ratio_scale(tree: ArithmeticTree, node: TreeNode) -> int:
    """100 when a ratio node is a percent formed from two non-percent operands, else 1."""
    if node.unit == "percent" and all(
        tree.nodes[operand].unit != "percent" for operand in node.operands
    ):
        return 100
    return 1


def _factor(tree: ArithmeticTree, node_id: str, value: Fraction) -> Fraction:
    """How a value enters a product: a percent ÷ 100."""
    return value / 100 if tree.nodes[node_id].unit == "percent" else value


def _combine(tree: ArithmeticTree, node: TreeNode, args: list[Fraction | None]) -> Fraction | None:
    """The node's value from its operands' values (None when one is None or x ÷ 0)."""
    if any(arg is None for arg in args):
        return None
    values: list[Fraction] = [arg for arg in args if arg is not None]
    if node.op == "product":
        result = Fraction(1)
        for operand, value in zip(node.operands, values, strict=True):
            result *= _factor(tree, operand, value)
        return result * 100 if node.unit == "percent" else result
    if node.op == "sum":
        return sum(values, Fraction(0))
    numerator, denominator = values
    if denominator == 0:
        return None
    return numerator / denominator * _ratio_scale(tree, node)


def _compute(
    tree: ArithmeticTree,
    lever_values: Mapping[str, Fraction | None],
    overrides: Mapping[str, Fraction | None] | None = None,
) -> dict[str, Fraction | None]:
    """Every reachable node's value, operands before parents (no input checks)."""
    overrides = overrides or {}
    values: dict[str, Fraction | None] = {}
    for node_id in reversed(tree.order):
        node = tree.nodes[node_id]
        if node_id in overrides:
            values[node_id] = overrides[node_id]
        elif node.is_lever:
            values[node_id] = lever_values.get(node_id)
        else:
            values[node_id] = _combine(tree, node, [values[o] for o in node.operands])
    return {node_id: values[node_id] for node_id in tree.order}


def _kgi(
    tree: ArithmeticTree,
    lever_values: Mapping[str, Fraction | None],
    overrides: Mapping[str, Fraction | None] | None = None,
) -> Fraction | None:
    return _compute(tree, lever_values, overrides)[tree.root]


def evaluate(
    tree: ArithmeticTree,
    lever_values: Mapping[str, Number | None],
    overrides: Mapping[str, Number | None] | None = None,
) -> dict[str, Fraction | None]:
    """Every node reachable from the root, in depth-first operand order, computed bottom-up
    from the levers' values.

    A lever missing from ``lever_values`` (or None there) has no value, nor have the nodes
    above it. ``overrides`` puts a node (lever or formula node) at a value whatever its
    operands make. Raises :class:`TreeMathError` for an id that is not a node, or a formula
    node given as a lever.
    """
    levers: dict[str, Fraction | None] = {}
    for node_id, value in lever_values.items():
        if node_id not in tree.nodes:
            raise TreeMathError(f"{node_id!r} is not a node of the tree")
        node = tree.nodes[node_id]
        if not node.is_lever:
            raise TreeMathError(
                f"node {node.label} is formed from its operands ({node.op}), not a lever: "
                "give its value as an override"
            )
        levers[node_id] = None if value is None else _exact(value, f"lever {node.label}")
    fixed: dict[str, Fraction | None] = {}
    for node_id, value in (overrides or {}).items():
        if node_id not in tree.nodes:
            raise TreeMathError(f"{node_id!r} is not a node of the tree")
        label = tree.nodes[node_id].label
        fixed[node_id] = None if value is None else _exact(value, f"override of {label}")
    return _compute(tree, levers, fixed)


# --- units ----------------------------------------------------------------------------------


def dimension(node: TreeNode) -> dict[str, int]:
    """The node's dimension vector, e.g. ``{"JPY": 1, "count": -1}`` for JPY per deal."""
    if node.unit in _DIMENSIONLESS:
        return {}
    if node.per_unit:
        return {"JPY": 1, "count": -1} if node.unit == "JPY" else {}
    return {node.unit: 1}


def _add(left: dict[str, int], right: dict[str, int], sign: int) -> dict[str, int]:
    total = dict(left)
    for name, power in right.items():
        total[name] = total.get(name, 0) + sign * power
    return {name: power for name, power in total.items() if power}


def _show_dimension(vector: Mapping[str, int]) -> str:
    if not vector:
        return "dimensionless"

    def power(name: str, exponent: int) -> str:
        return name if exponent == 1 else f"{name}^{exponent}"

    ups = [power(name, p) for name, p in sorted(vector.items()) if p > 0]
    downs = [power(name, -p) for name, p in sorted(vector.items()) if p < 0]
    text = " × ".join(ups) or "1"
    return text + "".join(f" per {down}" for down in downs)


def _show_unit(node: TreeNode) -> str:
    if node.per_unit and node.unit in ("JPY", "count"):
        return f"{node.unit} per count"
    return node.unit


def unit_problems(tree: ArithmeticTree) -> list[str]:
    """The formula nodes whose unit is not what their operands make (empty when all fit)."""
    problems: list[str] = []
    for node_id in tree.order:
        node = tree.nodes[node_id]
        if node.is_lever:
            continue
        operands = [tree.nodes[operand] for operand in node.operands]
        vectors = [dimension(operand) for operand in operands]
        own = dimension(node)
        sign = {"product": " × ", "sum": " + ", "ratio": " ÷ "}[node.op or "sum"]
        formed = f"{node.op} of " + sign.join(f"{o.id} ({_show_unit(o)})" for o in operands)
        where = f"node {node.label}"
        if node.op == "sum":
            if any(vector != vectors[0] for vector in vectors):
                problems.append(f"{where}: {formed} mixes units")
            elif vectors[0] != own:
                problems.append(
                    f"{where}: {formed} makes {_show_dimension(vectors[0])}, "
                    f"but it is {_show_unit(node)}"
                )
            else:
                units = {operand.unit for operand in operands} | {node.unit}
                if not own and "percent" in units and len(units) > 1:
                    problems.append(
                        f"{where}: {formed} as {node.unit} mixes a percent with a "
                        "non-percent value (a percent enters a sum as it is: 25 % as 25)"
                    )
            continue
        made: dict[str, int] = {}
        if node.op == "product":
            for vector in vectors:
                made = _add(made, vector, 1)
        else:
            made = _add(vectors[0], vectors[1], -1)
        if made != own:
            problems.append(
                f"{where}: {formed} makes {_show_dimension(made)}, but it is {_show_unit(node)}"
            )
    return problems


# --- JSON -----------------------------------------------------------------------------------


def _numbers(**values: Fraction | None) -> dict[str, float | str | None]:
    """Each value as a float rounded to 6 decimals, and exactly under ``<key>_exact``."""
    out: dict[str, float | str | None] = {}
    for key, value in values.items():
        out[key] = None if value is None else round(float(value), 6)
        out[f"{key}_exact"] = None if value is None else str(value)
    return out


class _AsDict:
    """``as_dict()`` for the result dataclasses: each field in order, a number (a field
    typed Fraction) as a float rounded to 6 decimals plus ``<name>_exact``, a result as its
    own dict, a list of results as a list of dicts; then the properties ``_derived``
    names, as numbers."""

    _derived: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        out: dict = {}
        for item in fields(self):  # type: ignore[arg-type]
            value = getattr(self, item.name)
            if "Fraction" in str(item.type):
                out.update(_numbers(**{item.name: value}))
            elif isinstance(value, _AsDict):
                out[item.name] = value.as_dict()
            elif isinstance(value, list):
                out[item.name] = [v.as_dict() if isinstance(v, _AsDict) else v for v in value]
            else:
                out[item.name] = value
        for name in self._derived:
            out.update(_numbers(**{name: getattr(self, name)}))
        return out


def _show(value: Fraction) -> str:
    """A number for a message: 1,234,567 or 166.666667."""
    if value.denominator == 1:
        return f"{value.numerator:,}"
    return f"{float(value):,.6f}".rstrip("0").rstrip(".")


def _pct_change(new: Fraction | None, old: Fraction | None) -> Fraction | None:
    """(new ÷ old − 1) × 100; None when either is unknown or old is 0."""
    if new is None or old is None or old == 0:
        return None
    return (new / old - 1) * 100


# --- identity check -------------------------------------------------------------------------


@dataclass(frozen=True)
class IdentityCheck(_AsDict):
    """A formula node's actual against what its operands' actuals make (one level)."""

    node_id: str
    name: str
    op: str
    computed: Fraction | None
    actual: Fraction | None
    difference_pct: Fraction | None  # (computed − actual) ÷ |actual| × 100
    holds: bool | None  # None: cannot be checked (see reason)
    reason: str | None = None


def identity_checks(tree: ArithmeticTree, tolerance_pct: Number) -> list[IdentityCheck]:
    """For every formula node (depth-first operand order): does its actual equal what its
    operands' actuals make, within ``tolerance_pct`` percent?"""
    tolerance = _exact(tolerance_pct, "tolerance_pct")
    if tolerance < 0:
        raise TreeMathError(f"tolerance_pct must be 0 or more, got {tolerance_pct}")
    checks: list[IdentityCheck] = []
    for node_id in tree.order:
        node = tree.nodes[node_id]
        if node.is_lever:
            continue
        operands = [tree.nodes[operand] for operand in node.operands]
        computed = _combine(tree, node, [operand.actual for operand in operands])
        actual = node.actual
        difference: Fraction | None = None
        holds: bool | None = None
        reason: str | None = None
        missing = [n.label for n in (node, *operands) if n.actual is None]
        if missing:
            reason = f"no actual for {', '.join(missing)}"
        elif computed is None:
            reason = f"the denominator {operands[1].label} has an actual of 0"
        elif actual == 0:
            if computed == 0:
                difference, holds = Fraction(0), True
            else:
                holds = False
                reason = f"the actual is 0 but its operands make {_show(computed)}"
        elif actual is not None:
            difference = (computed - actual) / abs(actual) * 100
            holds = abs(difference) <= tolerance
        checks.append(
            IdentityCheck(
                node.id, node.name, node.op or "", computed, actual, difference, holds, reason
            )
        )
    return checks


# --- analysis -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeverElasticity(_AsDict):
    """The % change of the KGI for +1 % on one lever, the others held."""

    lever_id: str
    name: str
    unit: str
    actual: Fraction
    kgi_at_plus_one_pct: Fraction | None
    elasticity_pct: Fraction | None  # None when the KGI has no value at +1 %


@dataclass(frozen=True)
class NodeGap(_AsDict):
    """What the KGI would be with this node alone at its reference (target or benchmark).

    ``actual`` is the node's value in the baseline: a lever's actual, or what a formula
    node's operands make from the levers' actuals.
    """

    node_id: str
    name: str
    unit: str
    kind: str  # lever | formula
    direction: str
    actual: Fraction | None
    reference: Fraction
    reference_kind: str  # target | benchmark
    gap_pct: Fraction | None  # (reference − actual) ÷ |actual| × 100
    kgi_at_reference: Fraction | None
    kgi_gain: Fraction | None  # kgi_at_reference − kgi_baseline
    behind: bool | None  # worse than the reference in its direction; None: no value


@dataclass(frozen=True)
class LeverGoal(_AsDict):
    """The value one lever must take, the others held, for the KGI to reach the target."""

    lever_id: str
    name: str
    unit: str
    actual: Fraction
    required_value: Fraction | None  # None: no value gives the target (see reason)
    change_pct: Fraction | None  # (required ÷ actual − 1) × 100
    feasible: bool
    reason: str | None = None


@dataclass(frozen=True)
class BalancedLever(_AsDict):
    """One lever under the common change g: ``multiply`` (× (1 + g)), ``divide``
    (÷ (1 + g)) or ``hold`` (zero elasticity: unchanged)."""

    lever_id: str
    name: str
    unit: str
    move: str  # multiply | divide | hold
    actual: Fraction
    new_value: Fraction | None
    change_pct: Fraction | None
    feasible: bool
    reason: str | None = None


@dataclass(frozen=True)
class BalancedGoal(_AsDict):
    """The common relative change g (rounded to 1e-9) that brings the KGI to the target."""

    g: Fraction | None  # None: no g reaches the target (see reason)
    levers: list[BalancedLever]
    kgi: Fraction | None  # the KGI under the rounded g
    feasible: bool
    reason: str | None = None

    _derived = ("g_pct",)

    @property
    def g_pct(self) -> Fraction | None:
        return None if self.g is None else self.g * 100


@dataclass(frozen=True)
class TreeAnalysis(_AsDict):
    """Everything :func:`analyse` finds, relative to the KGI (the root)."""

    root: str
    root_name: str
    unit: str
    kgi_baseline: Fraction
    kgi_target: Fraction
    gap: Fraction  # target − baseline
    elasticities: list[LeverElasticity]
    gaps: list[NodeGap]
    bottleneck: NodeGap | None
    single_lever: list[LeverGoal]
    balanced: BalancedGoal

    _derived = ("gap_pct",)

    @property
    def gap_pct(self) -> Fraction:
        """(target − baseline) ÷ |baseline| × 100."""
        return self.gap / abs(self.kgi_baseline) * 100


def _infeasibility(node: TreeNode, value: Fraction) -> str | None:
    """Why a lever cannot take ``value``, or None when it can."""
    if value < 0:
        return f"{node.label} would have to be {_show(value)}: it cannot be negative"
    if value == 0 and node.unit in ("count", "JPY"):
        return f"{node.label} would have to be 0: a count or an amount must be above 0"
    if node.unit == "percent" and value > 100:
        return f"{node.label} would have to be {_show(value)} %: a rate over 100 %"
    return None


def _invert(
    tree: ArithmeticTree,
    parent_id: str,
    child_id: str,
    required: Fraction,
    values: Mapping[str, Fraction | None],
) -> tuple[Fraction | None, str | None]:
    """The value ``child_id`` must take for ``parent_id`` to be ``required``, the parent's
    other operands at ``values``; or None and why not."""
    parent = tree.nodes[parent_id]
    others = [operand for operand in parent.operands if operand != child_id]
    unknown = [tree.nodes[operand].label for operand in others if values[operand] is None]
    if unknown:
        return None, f"{', '.join(unknown)} has no value in the baseline"
    if parent.op == "product":
        divisor = Fraction(1)
        for operand in others:
            divisor *= _factor(tree, operand, values[operand] or Fraction(0))
        if divisor == 0:
            zero = [tree.nodes[o].label for o in others if values[o] == 0]
            return None, (
                f"{', '.join(zero)} is 0, so no value of {tree.nodes[child_id].label} "
                f"changes {parent.label}"
            )
        factor = (required / 100 if parent.unit == "percent" else required) / divisor
        return (factor * 100 if tree.nodes[child_id].unit == "percent" else factor), None
    if parent.op == "sum":
        return required - sum(values[operand] or Fraction(0) for operand in others), None
    numerator_id, denominator_id = parent.operands
    scale = _ratio_scale(tree, parent)
    if child_id == numerator_id:
        return required * (values[denominator_id] or Fraction(0)) / scale, None
    numerator = values[numerator_id] or Fraction(0)
    if required == 0:
        if numerator == 0:
            return None, (
                f"{tree.nodes[numerator_id].label} is 0, so no value of the denominator "
                f"{tree.nodes[child_id].label} changes {parent.label}"
            )
        return None, (
            f"{parent.label} would have to be 0, which no denominator gives (it would divide by 0)"
        )
    return numerator * scale / required, None


def _single_lever_goal(
    tree: ArithmeticTree,
    lever_id: str,
    target: Fraction,
    baseline: Mapping[str, Fraction | None],
) -> LeverGoal:
    lever = tree.nodes[lever_id]
    actual = baseline[lever_id]
    assert actual is not None
    required: Fraction | None = target
    reason: str | None = None
    for parent_id, child_id in pairwise(tree.path_to(lever_id)):
        assert required is not None
        required, reason = _invert(tree, parent_id, child_id, required, baseline)
        if required is None:
            break
    if required is not None:
        reason = _infeasibility(lever, required)
    return LeverGoal(
        lever_id=lever_id,
        name=lever.name,
        unit=lever.unit,
        actual=actual,
        required_value=required,
        change_pct=_pct_change(required, actual),
        feasible=required is not None and reason is None,
        reason=reason,
    )


def _moved(actual: Fraction, move: str, g: Fraction) -> Fraction | None:
    if move == "multiply":
        return actual * (1 + g)
    if move == "divide":
        return None if g <= -1 else actual / (1 + g)
    return actual


def _find_g(
    kgi_at: Callable[[Fraction], Fraction | None], baseline: Fraction, target: Fraction
) -> tuple[Fraction | None, str | None]:
    """g with kgi_at(g) = target (to the tolerances), by bisection; or None and why not."""
    if target == baseline:
        return Fraction(0), None
    unreachable = "no common change of the levers reaches the target"
    if target > baseline:
        low, high = Fraction(0), Fraction(1)
        for _ in range(_MAX_DOUBLINGS):
            value = kgi_at(high)
            if value is None:
                return None, f"{unreachable}: the KGI loses its value at g = {_show(high)}"
            if value == target:
                return high, None
            if value > target:
                break
            low, high = high, high * 2
        else:
            return None, f"{unreachable}: the KGI stays below it even at g = {_show(high)}"
    else:
        low, high = Fraction(-1, 2), Fraction(0)
        for _ in range(_MAX_DOUBLINGS):
            value = kgi_at(low)
            if value is None:
                return None, f"{unreachable}: the KGI loses its value at g = {_show(low)}"
            if value == target:
                return low, None
            if value < target:
                break
            low, high = (low - 1) / 2, low
        else:
            return None, f"{unreachable}: the KGI stays above it however far the levers fall"
    scale = abs(target) or abs(baseline)
    for _ in range(_MAX_BISECTIONS):
        middle = (low + high) / 2
        value = kgi_at(middle)
        if value is None:
            return None, f"{unreachable}: the KGI loses its value at g = {_show(middle)}"
        if value == target:
            return middle, None
        if value < target:
            low = middle
        else:
            high = middle
        if abs(value - target) < KGI_TOLERANCE * scale and high - low < G_PRECISION:
            return middle, None
    return None, f"{unreachable}: the search for g did not settle"


def _balanced_goal(
    tree: ArithmeticTree,
    actuals: Mapping[str, Fraction],
    baseline: Fraction,
    target: Fraction,
    elasticities: list[LeverElasticity],
) -> BalancedGoal:
    moves: dict[str, str] = {}
    for item in elasticities:
        e = item.elasticity_pct
        moves[item.lever_id] = (
            "hold" if e is None or e == 0 else ("multiply" if e > 0 else "divide")
        )

    def levers_at(g: Fraction) -> dict[str, Fraction | None]:
        return {
            lever_id: _moved(actual, moves[lever_id], g) for lever_id, actual in actuals.items()
        }

    def kgi_at(g: Fraction) -> Fraction | None:
        return _kgi(tree, levers_at(g))

    def lever_rows(g: Fraction | None) -> list[BalancedLever]:
        values = levers_at(g) if g is not None else dict(actuals)
        rows = []
        for lever_id, actual in actuals.items():
            node = tree.nodes[lever_id]
            value = values[lever_id]
            reason = None if value is None else _infeasibility(node, value)
            rows.append(
                BalancedLever(
                    lever_id=lever_id,
                    name=node.name,
                    unit=node.unit,
                    move=moves[lever_id],
                    actual=actual,
                    new_value=value,
                    change_pct=_pct_change(value, actual),
                    feasible=value is not None and reason is None,
                    reason=reason,
                )
            )
        return rows

    if target != baseline and all(move == "hold" for move in moves.values()):
        return BalancedGoal(
            None, lever_rows(None), None, False, "no lever moves the KGI, so no g reaches it"
        )
    g, reason = _find_g(kgi_at, baseline, target)
    if g is None:
        return BalancedGoal(None, lever_rows(None), None, False, reason)
    step = Fraction(1, 10**G_DIGITS)
    rounded = Fraction(round(g * 10**G_DIGITS), 10**G_DIGITS)
    # The KGI rises with g: when rounding fell short of the target, the next step up
    # reaches it (a balanced change that "reaches" the target reaches it).
    reached = kgi_at(rounded)
    if reached is not None and reached < target:
        rounded += step
    rows = lever_rows(rounded)
    reasons = [row.reason for row in rows if row.reason]
    return BalancedGoal(
        g=rounded,
        levers=rows,
        kgi=kgi_at(rounded),
        feasible=not reasons,
        reason="; ".join(reasons) or None,
    )


def analyse(tree: ArithmeticTree, kgi_target: Number | None = None) -> TreeAnalysis:
    """Elasticities, gap costs and the bottleneck, and goal seek (single-lever and balanced)
    for reaching ``kgi_target`` (default: the root's own target) from the levers' actuals.

    Raises :class:`TreeMathError` when a lever has no actual, there is no KGI target, or the
    KGI baseline is 0 or has no value.
    """
    root = tree.nodes[tree.root]
    if kgi_target is None:
        if root.target is None:
            raise TreeMathError(f"the KGI {root.label} has no target: give kgi_target")
        kgi_target = root.target
    target = _exact(kgi_target, "kgi_target")
    missing = [tree.nodes[lever].label for lever in tree.levers if tree.nodes[lever].actual is None]
    if missing:
        raise TreeMathError(
            f"every lever needs an actual to analyse; none for {', '.join(missing)}"
        )
    actuals: dict[str, Fraction] = {}
    for lever_id in tree.levers:
        value = tree.nodes[lever_id].actual
        assert value is not None
        actuals[lever_id] = value
    baseline = _compute(tree, actuals)
    kgi = baseline[tree.root]
    if kgi is None:
        raise TreeMathError(
            f"the KGI {root.label} has no value on the levers' actuals (a ratio divides by 0)"
        )
    if kgi == 0:
        raise TreeMathError(
            f"the KGI {root.label} is 0 on the levers' actuals: changes relative to 0 are "
            "undefined, so there are no elasticities or goal seek"
        )

    elasticities: list[LeverElasticity] = []
    for lever_id, actual in actuals.items():
        raised = _kgi(tree, {**actuals, lever_id: actual * PLUS_ONE_PERCENT})
        node = tree.nodes[lever_id]
        elasticities.append(
            LeverElasticity(
                lever_id=lever_id,
                name=node.name,
                unit=node.unit,
                actual=actual,
                kgi_at_plus_one_pct=raised,
                elasticity_pct=None if raised is None else (raised / kgi - 1) * 100,
            )
        )

    gaps: list[NodeGap] = []
    for node_id in tree.order[1:]:
        node = tree.nodes[node_id]
        if node.target is not None:
            reference, reference_kind = node.target, "target"
        elif node.benchmark is not None:
            reference, reference_kind = node.benchmark, "benchmark"
        else:
            continue
        value = baseline[node_id]
        at_reference = _kgi(tree, actuals, {node_id: reference})
        gaps.append(
            NodeGap(
                node_id=node_id,
                name=node.name,
                unit=node.unit,
                kind="lever" if node.is_lever else "formula",
                direction=node.direction,
                actual=value,
                reference=reference,
                reference_kind=reference_kind,
                gap_pct=None if not value else (reference - value) / abs(value) * 100,
                kgi_at_reference=at_reference,
                kgi_gain=None if at_reference is None else at_reference - kgi,
                behind=None if value is None else node.is_worse(value, reference),
            )
        )
    bottleneck: NodeGap | None = None
    for item in gaps:
        if not item.behind or item.kgi_gain is None:
            continue
        if bottleneck is None or (
            bottleneck.kgi_gain is not None and item.kgi_gain > bottleneck.kgi_gain
        ):
            bottleneck = item

    return TreeAnalysis(
        root=tree.root,
        root_name=root.name,
        unit=root.unit,
        kgi_baseline=kgi,
        kgi_target=target,
        gap=target - kgi,
        elasticities=elasticities,
        gaps=gaps,
        bottleneck=bottleneck,
        single_lever=[
            _single_lever_goal(tree, lever_id, target, baseline) for lever_id in tree.levers
        ],
        balanced=_balanced_goal(tree, actuals, kgi, target, elasticities),
    )
