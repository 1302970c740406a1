"""The arithmetic of a KPI tree (orchestration/tree_math.py): evaluation, units, identity
checks, elasticities, gap costs and the bottleneck, and goal seek.

Every expected value is worked out by hand in the comment beside it."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from orchestration.tree_math import (
    ArithmeticTree,
    TreeMathError,
    TreeNode,
    analyse,
    build_tree,
    evaluate,
    identity_checks,
    unit_problems,
)

F = Fraction


def sales_tree(**changes: dict) -> ArithmeticTree:
    """The worked example:

        won_amount (JPY)  = won_count (count) × avg_deal_size (JPY per deal)
        won_count (count) = meeting_count (count) × meeting_win_rate (percent)

    ``changes`` replaces fields of a node: ``sales_tree(won_count={"actual": 21})``.
    """
    nodes = {
        "won_amount": dict(
            name="受注金額", unit="JPY", op="product", operands=("won_count", "avg_deal_size")
        ),
        "won_count": dict(
            name="受注件数",
            unit="count",
            op="product",
            operands=("meeting_count", "meeting_win_rate"),
            target=22,
        ),
        "meeting_count": dict(name="商談数", unit="count", actual=200, target=250, benchmark=240),
        "meeting_win_rate": dict(name="商談受注率", unit="percent", actual=10, target=12),
        "avg_deal_size": dict(
            name="平均受注単価", unit="JPY", per_unit=True, actual=3_000_000, benchmark=3_300_000
        ),
    }
    for node_id, fields in changes.items():
        nodes[node_id] = {**nodes[node_id], **fields}
    return build_tree(
        "won_amount", {node_id: TreeNode(id=node_id, **fields) for node_id, fields in nodes.items()}
    )


def ltv_tree(churn: str = "0.025", churn_target: str = "0.02", arpa_benchmark: int = 12_000):
    """ltv (JPY per customer) = arpa (JPY per customer) ÷ churn_rate (a ratio, lower is
    better)."""
    return build_tree(
        "ltv",
        [
            TreeNode("ltv", "LTV", "JPY", "ratio", ("arpa", "churn_rate"), per_unit=True),
            TreeNode(
                "arpa", "顧客単価", "JPY", actual=10_000, benchmark=arpa_benchmark, per_unit=True
            ),
            TreeNode(
                "churn_rate",
                "解約率",
                "ratio",
                actual=F(churn),
                target=F(churn_target),
                direction="lower_is_better",
            ),
        ],
    )


def revenue_tree() -> ArithmeticTree:
    """revenue (JPY) = new_business (JPY) 30 + expansion (JPY) 70."""
    return build_tree(
        "revenue",
        [
            TreeNode("revenue", "売上", "JPY", "sum", ("new_business", "expansion")),
            TreeNode("new_business", "新規", "JPY", actual=30),
            TreeNode("expansion", "既存拡大", "JPY", actual=70),
        ],
    )


# --- structure ------------------------------------------------------------------------------


def test_order_and_levers_are_depth_first():
    tree = sales_tree()
    # root, then each operand before the next one's subtree
    assert tree.order == (
        "won_amount",
        "won_count",
        "meeting_count",
        "meeting_win_rate",
        "avg_deal_size",
    )
    assert tree.levers == ("meeting_count", "meeting_win_rate", "avg_deal_size")
    assert tree.path_to("meeting_win_rate") == ("won_amount", "won_count", "meeting_win_rate")


def test_node_values_are_exact_fractions():
    node = TreeNode("r", "率", "percent", actual=0.1, target="12.5", benchmark=3)
    # a float is read by its shortest decimal form: 0.1 is 1/10, not 0.1000000000000000055...
    assert node.actual == F(1, 10)
    assert node.target == F(25, 2)
    assert node.benchmark == F(3)
    with pytest.raises(TreeMathError, match=r"node r \(率\): actual"):
        TreeNode("r", "率", "percent", actual="abc")


@pytest.mark.parametrize(
    ("nodes", "message"),
    [
        (
            [TreeNode("a", "A", "count", "sum", ("b", "missing")), TreeNode("b", "B", "count")],
            r"node a \(A\): operand 'missing' is not a node",
        ),
        (
            [
                TreeNode("a", "A", "count", "sum", ("b", "c")),
                TreeNode("b", "B", "count", "sum", ("c2", "a")),
                TreeNode("c", "C", "count"),
                TreeNode("c2", "C2", "count"),
            ],
            r"cycle: a → b → a",
        ),
        (
            [
                TreeNode("a", "A", "count", "sum", ("b", "c")),
                TreeNode("b", "B", "count", "sum", ("c", "d")),
                TreeNode("c", "C", "count"),
                TreeNode("d", "D", "count"),
            ],
            r"node c \(C\) is an operand of a and b",
        ),
        (
            [
                TreeNode("a", "A", "ratio", "ratio", ("b", "c", "d")),
                TreeNode("b", "B", "count"),
                TreeNode("c", "C", "count"),
                TreeNode("d", "D", "count"),
            ],
            r"node a \(A\): a ratio takes exactly 2 operands .* it has 3",
        ),
        (
            [TreeNode("a", "A", "count", "product", ("b",)), TreeNode("b", "B", "count")],
            r"node a \(A\): a product takes at least 2 operands, it has 1",
        ),
        (
            [
                TreeNode("a", "A", "count", "difference", ("b", "c")),
                TreeNode("b", "B", "count"),
                TreeNode("c", "C", "count"),
            ],
            r"node a \(A\): unknown op 'difference'",
        ),
        (
            [TreeNode("a", "A", "USD")],
            r"node a \(A\): unknown unit 'USD'",
        ),
        (
            [
                TreeNode("a", "A", "count", "sum", ("b", "b")),
                TreeNode("b", "B", "count"),
            ],
            r"node a \(A\): lists b twice among its operands",
        ),
        (
            [TreeNode("a", "A", "count", None, ("b",)), TreeNode("b", "B", "count")],
            r"node a \(A\): has operands \(b\) but no op",
        ),
    ],
)
def test_build_tree_refuses_broken_arithmetic(nodes, message):
    with pytest.raises(TreeMathError, match=message):
        build_tree("a", nodes)


def test_build_tree_lists_every_problem_and_checks_the_root():
    with pytest.raises(TreeMathError) as caught:
        build_tree(
            "nowhere",
            {
                "a": TreeNode("a", "A", "count", "ratio", ("b",)),
                "b": TreeNode("b", "B", "yen"),
            },
        )
    assert caught.value.problems == (
        "the root 'nowhere' is not a node of the tree",
        "node a (A): a ratio takes exactly 2 operands (numerator, then denominator), it has 1",
        "node b (B): unknown unit 'yen' (one of count, JPY, percent, ratio)",
    )
    # a node filed under another id
    with pytest.raises(TreeMathError, match=r"node b \(B\) is filed under the id 'a'"):
        ArithmeticTree("a", {"a": TreeNode("b", "B", "count")})


# --- evaluation -----------------------------------------------------------------------------


def test_evaluate_the_worked_example():
    tree = sales_tree()
    values = evaluate(
        tree, {"meeting_count": 200, "meeting_win_rate": 10, "avg_deal_size": 3_000_000}
    )
    # won_count  = 200 × 10 % = 200 × 0.10 = 20
    # won_amount = 20 × 3,000,000 = 60,000,000
    assert values == {
        "won_amount": F(60_000_000),
        "won_count": F(20),
        "meeting_count": F(200),
        "meeting_win_rate": F(10),
        "avg_deal_size": F(3_000_000),
    }
    # won_count put at 22 whatever its operands make: 22 × 3,000,000 = 66,000,000
    overridden = evaluate(
        tree,
        {"meeting_count": 200, "meeting_win_rate": 10, "avg_deal_size": 3_000_000},
        overrides={"won_count": 22},
    )
    assert overridden["won_amount"] == F(66_000_000)
    assert overridden["won_count"] == F(22)


def test_evaluate_percent_and_ratio_rules():
    tree = build_tree(
        "top",
        [
            TreeNode("top", "top", "percent", "sum", ("funnel", "win_rate", "relative")),
            # a percent product: 50 % × 20 % = 0.5 × 0.2 = 0.1, × 100 as a percent = 10
            TreeNode("funnel", "funnel", "percent", "product", ("connect", "appoint")),
            TreeNode("connect", "connect", "percent"),
            TreeNode("appoint", "appoint", "percent"),
            # a percent from two counts: 20 ÷ 200 = 0.1, × 100 = 10
            TreeNode("win_rate", "win", "percent", "ratio", ("won", "meetings")),
            TreeNode("won", "won", "count"),
            TreeNode("meetings", "meetings", "count"),
            # a percent from two percents: 30 ÷ 20 = 3/2, no × 100
            TreeNode("relative", "relative", "percent", "ratio", ("p30", "p20")),
            TreeNode("p30", "p30", "percent"),
            TreeNode("p20", "p20", "percent"),
        ],
    )
    levers = {"connect": 50, "appoint": 20, "won": 20, "meetings": 200, "p30": 30, "p20": 20}
    values = evaluate(tree, levers)
    assert values["funnel"] == F(10)
    assert values["win_rate"] == F(10)
    assert values["relative"] == F(3, 2)
    # percents enter a sum as they are: 10 + 10 + 3/2 = 43/2
    assert values["top"] == F(43, 2)

    # a denominator of 0 leaves the ratio and everything above it without a value
    values = evaluate(tree, {**levers, "meetings": 0})
    assert values["win_rate"] is None
    assert values["top"] is None
    assert values["funnel"] == F(10)
    # so does a lever without a value
    values = evaluate(tree, {key: value for key, value in levers.items() if key != "p20"})
    assert values["relative"] is None
    assert values["top"] is None

    with pytest.raises(TreeMathError, match=r"node funnel \(funnel\) is formed from"):
        evaluate(tree, {"funnel": 10})
    with pytest.raises(TreeMathError, match="'nope' is not a node"):
        evaluate(tree, {"nope": 1})


# --- units ----------------------------------------------------------------------------------


def test_unit_check_passes_the_worked_example():
    # won_count: count × percent = count¹ × dimensionless = count ✓
    # won_amount: count × JPY per count = count¹ + (JPY¹ count⁻¹) = JPY ✓
    assert unit_problems(sales_tree()) == []
    # avg_deal_size = won_amount ÷ won_count: JPY − count = JPY per count ✓
    tree = build_tree(
        "avg",
        [
            TreeNode("avg", "平均受注単価", "JPY", "ratio", ("amount", "won"), per_unit=True),
            TreeNode("amount", "受注金額", "JPY"),
            TreeNode("won", "受注件数", "count"),
        ],
    )
    assert unit_problems(tree) == []


def test_unit_problems_are_reported():
    tree = build_tree(
        "total",
        [
            TreeNode("total", "合計", "JPY", "sum", ("amount", "bad_amount", "mixed")),
            # count × percent = count, but the node is JPY
            TreeNode("amount", "金額", "JPY", "product", ("deals", "rate")),
            TreeNode("deals", "件数", "count"),
            TreeNode("rate", "率", "percent"),
            # without per_unit the average is plain JPY: count × JPY = JPY × count
            TreeNode("bad_amount", "金額2", "JPY", "product", ("deals2", "avg")),
            TreeNode("deals2", "件数2", "count"),
            TreeNode("avg", "単価", "JPY"),
            # count + JPY
            TreeNode("mixed", "混合", "JPY", "sum", ("calls", "yen")),
            TreeNode("calls", "架電数", "count"),
            TreeNode("yen", "円", "JPY"),
        ],
    )
    assert unit_problems(tree) == [
        "node amount (金額): product of deals (count) × rate (percent) makes count, but it is JPY",
        "node bad_amount (金額2): product of deals2 (count) × avg (JPY) makes JPY × count, "
        "but it is JPY",
        "node mixed (混合): sum of calls (count) + yen (JPY) mixes units",
    ]


def test_unit_problem_sum_of_percent_and_ratio():
    tree = build_tree(
        "s",
        [
            TreeNode("s", "合計率", "ratio", "sum", ("p", "r")),
            TreeNode("p", "率", "percent"),
            TreeNode("r", "比", "ratio"),
        ],
    )
    (problem,) = unit_problems(tree)
    assert problem.startswith("node s (合計率): sum of p (percent) + r (ratio) as ratio mixes")


# --- identity check -------------------------------------------------------------------------


def test_identity_checks_one_level():
    tree = sales_tree(won_amount={"actual": 63_300_000}, won_count={"actual": 21})
    amount, count = identity_checks(tree, F(1, 2))
    # won_amount from its operands' own actuals (won_count 21, not the 20 the levers make):
    #   computed = 21 × 3,000,000 = 63,000,000
    #   difference = (63,000,000 − 63,300,000) ÷ 63,300,000 × 100
    #              = −30,000,000 ÷ 63,300,000 = −300/633 = −100/211 ≈ −0.474 %  (|·| ≤ 0.5)
    assert amount.node_id == "won_amount"
    assert amount.computed == F(63_000_000)
    assert amount.actual == F(63_300_000)
    assert amount.difference_pct == F(-100, 211)
    assert amount.holds is True
    # won_count: computed = 200 × 10 % = 20; difference = (20 − 21) ÷ 21 × 100 = −100/21
    #   ≈ −4.76 %  (> 0.5)
    assert count.node_id == "won_count"
    assert count.computed == F(20)
    assert count.difference_pct == F(-100, 21)
    assert count.holds is False
    assert count.reason is None


def test_identity_checks_without_values():
    amount, count = identity_checks(sales_tree(won_count={"actual": 20}), 0)
    # won_amount has no actual of its own
    assert amount.holds is None
    assert amount.reason == "no actual for won_amount (受注金額)"
    # won_count 20 = 200 × 10 %: exactly, so it holds at tolerance 0
    assert count.difference_pct == 0
    assert count.holds is True

    tree = build_tree(
        "rate",
        [
            TreeNode("rate", "率", "percent", "ratio", ("won", "meetings"), actual=0),
            TreeNode("won", "受注", "count", actual=3),
            TreeNode("meetings", "商談", "count", actual=0),
        ],
    )
    (check,) = identity_checks(tree, 1)
    assert check.holds is None
    assert check.reason == "the denominator meetings (商談) has an actual of 0"

    # actual 0 but the operands make 3 ÷ 30 × 100 = 10: no percentage difference, not holding
    tree = build_tree(
        "rate",
        [
            TreeNode("rate", "率", "percent", "ratio", ("won", "meetings"), actual=0),
            TreeNode("won", "受注", "count", actual=3),
            TreeNode("meetings", "商談", "count", actual=30),
        ],
    )
    (check,) = identity_checks(tree, 1)
    assert check.computed == F(10)
    assert check.difference_pct is None
    assert check.holds is False
    # both 0: 0 ÷ 30 × 100 = 0 = the actual
    tree = build_tree(
        "rate",
        [
            TreeNode("rate", "率", "percent", "ratio", ("won", "meetings"), actual=0),
            TreeNode("won", "受注", "count", actual=0),
            TreeNode("meetings", "商談", "count", actual=30),
        ],
    )
    (check,) = identity_checks(tree, 1)
    assert (check.difference_pct, check.holds) == (0, True)


# --- analysis: the worked example -----------------------------------------------------------


def test_analyse_worked_example():
    analysis = analyse(sales_tree(), 90_000_000)
    # baseline 20 × 3,000,000 = 60,000,000; gap 90,000,000 − 60,000,000 = 30,000,000 (+50 %)
    assert analysis.kgi_baseline == F(60_000_000)
    assert analysis.gap == F(30_000_000)
    assert analysis.gap_pct == F(50)

    # +1 % on any lever of a pure product: 60,000,000 × 1.01 = 60,600,000 → exactly 1 %
    assert [(e.lever_id, e.elasticity_pct) for e in analysis.elasticities] == [
        ("meeting_count", F(1)),
        ("meeting_win_rate", F(1)),
        ("avg_deal_size", F(1)),
    ]
    assert analysis.elasticities[0].kgi_at_plus_one_pct == F(60_600_000)

    # gap cost, each node alone at its reference (depth-first order):
    #   won_count 22 (target; a formula node):  22 × 3,000,000           = 66,000,000  +6,000,000
    #   meeting_count 250 (target, not the 240 benchmark): 250 × 0.10 = 25 → × 3M
    #                                                                    = 75,000,000 +15,000,000
    #   meeting_win_rate 12 (target): 200 × 0.12 = 24 → × 3M             = 72,000,000 +12,000,000
    #   avg_deal_size 3,300,000 (benchmark): 20 × 3,300,000              = 66,000,000  +6,000,000
    assert [
        (g.node_id, g.kind, g.reference_kind, g.reference, g.kgi_at_reference, g.kgi_gain)
        for g in analysis.gaps
    ] == [
        ("won_count", "formula", "target", F(22), F(66_000_000), F(6_000_000)),
        ("meeting_count", "lever", "target", F(250), F(75_000_000), F(15_000_000)),
        ("meeting_win_rate", "lever", "target", F(12), F(72_000_000), F(12_000_000)),
        ("avg_deal_size", "lever", "benchmark", F(3_300_000), F(66_000_000), F(6_000_000)),
    ]
    # won_count's value is the 20 the levers make; (22 − 20) ÷ 20 × 100 = 10 %
    assert analysis.gaps[0].actual == F(20)
    assert analysis.gaps[0].gap_pct == F(10)
    assert all(g.behind for g in analysis.gaps)
    assert analysis.bottleneck is not None
    assert analysis.bottleneck.node_id == "meeting_count"

    # one lever at a time, to 90,000,000:
    #   meeting_count    = 90,000,000 ÷ 3,000,000 = 30 won; 30 ÷ 0.10 = 300    (+50 %)
    #   meeting_win_rate = 30 won ÷ 200 = 0.15 → 15 %                        (+50 %)
    #   avg_deal_size    = 90,000,000 ÷ 20 = 4,500,000                       (+50 %)
    assert [
        (goal.lever_id, goal.required_value, goal.change_pct, goal.feasible)
        for goal in analysis.single_lever
    ] == [
        ("meeting_count", F(300), F(50), True),
        ("meeting_win_rate", F(15), F(50), True),
        ("avg_deal_size", F(4_500_000), F(50), True),
    ]

    # balanced: (1 + g)³ = 90,000,000 ÷ 60,000,000 = 1.5, g = 1.5^(1/3) − 1.
    #   1.1447142425³ ≈ 1.49999999979 < 1.5 < 1.50000000176 ≈ 1.144714243³
    # so g is in (0.1447142425, 0.144714243) and rounds to 0.144714243 at 9 decimals.
    assert F("1.1447142425") ** 3 < F(3, 2) < F("1.144714243") ** 3
    balanced = analysis.balanced
    assert balanced.feasible is True
    assert balanced.g == F("0.144714243")
    assert abs(balanced.g - F("0.144714243")) <= F(1, 10**9)
    # the levers under g = 0.144714243, all × 1.144714243:
    #   200 → 228.9428486; 10 → 11.44714243; 3,000,000 → 3,434,142.729
    assert [(lever.lever_id, lever.move, lever.new_value) for lever in balanced.levers] == [
        ("meeting_count", "multiply", F("228.9428486")),
        ("meeting_win_rate", "multiply", F("11.44714243")),
        ("avg_deal_size", "multiply", F("3434142.729")),
    ]
    # the KGI under the rounded g: 60,000,000 × 1.5000000017559... ≈ 90,000,000.105
    assert balanced.kgi == 60_000_000 * F("1.144714243") ** 3
    assert abs(balanced.kgi - 90_000_000) < F(1, 5)


def test_target_defaults_to_the_roots_own():
    tree = sales_tree(won_amount={"target": 90_000_000})
    assert analyse(tree).kgi_target == F(90_000_000)
    with pytest.raises(TreeMathError, match=r"the KGI won_amount \(受注金額\) has no target"):
        analyse(sales_tree())


def test_bottleneck_tie_goes_to_the_first_in_depth_first_order():
    # won_count at 22 → 66,000,000 and avg_deal_size at 3,300,000 → 66,000,000: both +6,000,000;
    # the other two have no reference
    tree = sales_tree(
        meeting_count={"target": None, "benchmark": None},
        meeting_win_rate={"target": None},
    )
    analysis = analyse(tree, 90_000_000)
    assert [g.node_id for g in analysis.gaps] == ["won_count", "avg_deal_size"]
    assert analysis.bottleneck is not None
    assert analysis.bottleneck.node_id == "won_count"


def test_no_bottleneck_when_nothing_is_behind():
    # every reference at or below the actual: 200 ≥ 200 and 10 ≥ 8, nothing else has one
    tree = sales_tree(
        won_count={"target": None},
        meeting_count={"target": 200},
        meeting_win_rate={"target": 8},
        avg_deal_size={"benchmark": None},
    )
    analysis = analyse(tree, 90_000_000)
    # meeting_win_rate at 8: 200 × 0.08 = 16 → × 3,000,000 = 48,000,000, a gain of −12,000,000
    assert [(g.node_id, g.behind, g.kgi_gain) for g in analysis.gaps] == [
        ("meeting_count", False, F(0)),
        ("meeting_win_rate", False, F(-12_000_000)),
    ]
    assert analysis.bottleneck is None


def test_percent_lever_needing_more_than_100_percent():
    # target 1,000,000,000 with 200 meetings and 3,000,000 per deal:
    #   win rate = 1,000,000,000 ÷ 3,000,000 ÷ 200 × 100 = 333.33... ÷ 200 × 100 = 500/3 ≈ 166.67 %
    #   meetings = 1,000,000,000 ÷ 3,000,000 ÷ 0.10 = 10,000/3 ≈ 3,333.33 (feasible)
    analysis = analyse(sales_tree(), 1_000_000_000)
    meetings, rate, _ = analysis.single_lever
    assert rate.required_value == F(500, 3)
    assert rate.feasible is False
    assert (
        rate.reason
        == "meeting_win_rate (商談受注率) would have to be 166.666667 %: a rate over 100 %"
    )
    # (500/3 ÷ 10 − 1) × 100 = (50/3 − 1) × 100 = 4700/3 %
    assert rate.change_pct == F(4700, 3)
    assert meetings.required_value == F(10_000, 3)
    assert meetings.feasible is True


# --- analysis: a sum ------------------------------------------------------------------------


def test_sum_tree():
    analysis = analyse(revenue_tree(), 50)
    # +1 % on new_business: (30 × 1.01 + 70) ÷ 100 − 1 = 100.3 ÷ 100 − 1 = 0.003 → 0.3 %
    # +1 % on expansion:    (30 + 70 × 1.01) ÷ 100 − 1 = 0.007 → 0.7 % (each its share)
    assert [e.elasticity_pct for e in analysis.elasticities] == [F(3, 10), F(7, 10)]

    # one lever at a time to 50: new_business = 50 − 70 = −20 (impossible);
    #   expansion = 50 − 30 = 20, (20 ÷ 70 − 1) × 100 = −500/7 %
    new, expansion = analysis.single_lever
    assert new.required_value == F(-20)
    assert new.change_pct == F(-500, 3)  # (−20 ÷ 30 − 1) × 100
    assert new.feasible is False
    assert new.reason == "new_business (新規) would have to be -20: it cannot be negative"
    assert (expansion.required_value, expansion.change_pct, expansion.feasible) == (
        F(20),
        F(-500, 7),
        True,
    )

    # balanced, below the baseline: 100 × (1 + g) = 50 → g = −1/2; 30 → 15, 70 → 35
    balanced = analysis.balanced
    assert balanced.g == F(-1, 2)
    assert [lever.new_value for lever in balanced.levers] == [F(15), F(35)]
    assert balanced.kgi == F(50)

    # to 70: new_business = 70 − 70 = 0, which an amount cannot be
    new, _ = analyse(revenue_tree(), 70).single_lever
    assert new.required_value == 0
    assert new.feasible is False
    assert "must be above 0" in (new.reason or "")


# --- analysis: a ratio, lower is better -----------------------------------------------------


def test_ratio_tree():
    analysis = analyse(ltv_tree(), 484_000)
    # baseline 10,000 ÷ 0.025 = 400,000
    assert analysis.kgi_baseline == F(400_000)
    # numerator: 10,100 ÷ 0.025 = 404,000 → +1 %
    # denominator: 10,000 ÷ (0.025 × 1.01) = 400,000 ÷ 1.01 → (1/1.01 − 1) × 100 = −100/101 %
    assert [e.elasticity_pct for e in analysis.elasticities] == [F(1), F(-100, 101)]

    # arpa at its benchmark 12,000: 12,000 ÷ 0.025 = 480,000 (+80,000)
    # churn at its target 0.02 (0.025 is above it: behind, lower is better):
    #   10,000 ÷ 0.02 = 500,000 (+100,000) → the bottleneck
    assert [(g.node_id, g.reference_kind, g.kgi_gain, g.behind) for g in analysis.gaps] == [
        ("arpa", "benchmark", F(80_000), True),
        ("churn_rate", "target", F(100_000), True),
    ]
    assert analysis.bottleneck is not None
    assert analysis.bottleneck.node_id == "churn_rate"

    # to 484,000: arpa = 484,000 × 0.025 = 12,100 (+21 %);
    #   churn = 10,000 ÷ 484,000 = 5/242 ≈ 0.02066; (5/242 ÷ 1/40 − 1) × 100
    #         = (200/242 − 1) × 100 = −4200/242 = −2100/121 ≈ −17.36 %
    arpa, churn = analysis.single_lever
    assert (arpa.required_value, arpa.change_pct) == (F(12_100), F(21))
    assert (churn.required_value, churn.change_pct, churn.feasible) == (
        F(5, 242),
        F(-2100, 121),
        True,
    )

    # balanced: arpa × (1 + g), churn ÷ (1 + g) → 400,000 × (1 + g)² = 484,000,
    #   (1 + g)² = 1.21, g = 0.1 exactly; arpa 11,000, churn 0.025 ÷ 1.1 = 1/44
    balanced = analysis.balanced
    assert balanced.g == F(1, 10)
    assert [(lever.move, lever.new_value) for lever in balanced.levers] == [
        ("multiply", F(11_000)),
        ("divide", F(1, 44)),
    ]
    assert balanced.kgi == F(484_000)


def test_lower_is_better_ahead_is_not_the_bottleneck():
    # churn 0.015 is below its target 0.02: ahead. baseline 10,000 ÷ 0.015 = 2,000,000/3
    #   churn at 0.02: 500,000 − 2,000,000/3 = −500,000/3 (a loss)
    #   arpa at 12,000: 12,000 ÷ 0.015 = 800,000; 800,000 − 2,000,000/3 = +400,000/3
    analysis = analyse(ltv_tree(churn="0.015"), 1_000_000)
    assert [(g.node_id, g.behind, g.kgi_gain) for g in analysis.gaps] == [
        ("arpa", True, F(400_000, 3)),
        ("churn_rate", False, F(-500_000, 3)),
    ]
    assert analysis.bottleneck is not None
    assert analysis.bottleneck.node_id == "arpa"
    # churn 0.03 with the target 0.02 is behind (higher than the target, lower is better)
    behind = analyse(ltv_tree(churn="0.03", arpa_benchmark=9_000), 1_000_000)
    assert [(g.node_id, g.behind) for g in behind.gaps] == [
        ("arpa", False),
        ("churn_rate", True),
    ]


# --- goal seek through the percent rules ----------------------------------------------------


def test_single_lever_through_a_percent_product_and_a_percent_ratio():
    funnel = build_tree(
        "rate",
        [
            TreeNode("rate", "接続アポ率", "percent", "product", ("connect", "appoint")),
            TreeNode("connect", "接続率", "percent", actual=50),
            TreeNode("appoint", "アポ率", "percent", actual=20),
        ],
    )
    # baseline 0.5 × 0.2 × 100 = 10 %; to 12 %: connect = 0.12 ÷ 0.2 = 0.6 → 60 %,
    #   appoint = 0.12 ÷ 0.5 = 0.24 → 24 %
    analysis = analyse(funnel, 12)
    assert [goal.required_value for goal in analysis.single_lever] == [F(60), F(24)]

    win_rate = build_tree(
        "rate",
        [
            TreeNode("rate", "商談受注率", "percent", "ratio", ("won", "meetings")),
            TreeNode("won", "受注件数", "count", actual=20),
            TreeNode("meetings", "商談数", "count", actual=200),
        ],
    )
    # baseline 20 ÷ 200 × 100 = 10 %; to 12 %: won = 12 × 200 ÷ 100 = 24,
    #   meetings = 20 × 100 ÷ 12 = 500/3
    analysis = analyse(win_rate, 12)
    assert [goal.required_value for goal in analysis.single_lever] == [F(24), F(500, 3)]


def test_balanced_two_lever_product():
    tree = build_tree(
        "amount",
        [
            TreeNode("amount", "金額", "JPY", "product", ("deals", "avg")),
            TreeNode("deals", "件数", "count", actual=100),
            TreeNode("avg", "単価", "JPY", actual=50, per_unit=True),
        ],
    )
    # baseline 100 × 50 = 5,000; target 6,050 = 1.21 × 5,000 → (1 + g)² = 1.21, g = 0.1
    balanced = analyse(tree, 6_050).balanced
    assert balanced.g == F(1, 10)
    assert [lever.new_value for lever in balanced.levers] == [F(110), F(55)]
    assert balanced.kgi == F(6_050)
    # already at the target: g = 0
    assert analyse(tree, 5_000).balanced.g == 0


# --- refusals and JSON ----------------------------------------------------------------------


def test_kgi_baseline_zero_or_missing_actual_is_refused():
    with pytest.raises(TreeMathError, match=r"the KGI won_amount \(受注金額\) is 0"):
        analyse(sales_tree(meeting_count={"actual": 0}), 90_000_000)
    with pytest.raises(TreeMathError, match=r"none for meeting_win_rate \(商談受注率\)"):
        analyse(sales_tree(meeting_win_rate={"actual": None}), 90_000_000)
    with pytest.raises(TreeMathError, match=r"the KGI ltv \(LTV\) has no value"):
        analyse(ltv_tree(churn="0"), 1)


def test_as_dict_is_json_ready():
    data = analyse(sales_tree(), 90_000_000).as_dict()
    json.dumps(data, ensure_ascii=False)
    assert data["root"] == "won_amount"
    assert (data["kgi_baseline"], data["kgi_baseline_exact"]) == (60000000.0, "60000000")
    assert (data["gap"], data["gap_exact"]) == (30000000.0, "30000000")
    assert data["bottleneck"]["node_id"] == "meeting_count"
    assert data["elasticities"][0] == {
        "lever_id": "meeting_count",
        "name": "商談数",
        "unit": "count",
        "actual": 200.0,
        "actual_exact": "200",
        "kgi_at_plus_one_pct": 60600000.0,
        "kgi_at_plus_one_pct_exact": "60600000",
        "elasticity_pct": 1.0,
        "elasticity_pct_exact": "1",
    }
    # 0.144714243 rounded to 6 decimals; exactly 144714243/1000000000
    assert (data["balanced"]["g"], data["balanced"]["g_exact"]) == (
        0.144714,
        "144714243/1000000000",
    )
    assert data["balanced"]["levers"][0]["move"] == "multiply"
    assert data["single_lever"][0]["required_value_exact"] == "300"
    (check, _) = identity_checks(
        sales_tree(won_amount={"actual": 60_000_000}, won_count={"actual": 20}), 0
    )
    assert check.as_dict()["holds"] is True
    assert check.as_dict()["difference_pct_exact"] == "0"
