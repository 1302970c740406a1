"""Quoting for the SQL that ingestion writes (values and identifiers from files), and
the marking of values inside quarantine reasons.

A reason names a broken rule and quotes the value that broke it ("amount: not a number:
'abc'"). The value may be personal data, so a reason is built with the value between two
private-use characters; the working quarantine keeps it readable (``plain_reason``),
the published one replaces it by ``…`` (``public_reason``). Nothing is guessed from
quotes: a value holding a quote (O'Brien) is elided whole.
"""

VALUE_START = "\ue000"
VALUE_END = "\ue001"


def sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def shown_value(value_sql: str) -> str:
    """SQL for a value quoted in a reason: ``'v'``, marked so that it can be elided. A
    marker character inside the value itself is dropped, so it cannot end the span early."""
    start, end = sql_literal(VALUE_START), sql_literal(VALUE_END)
    value = f"replace(replace({value_sql}, {start}, ''), {end}, '')"
    return f"'''' || {start} || {value} || {end} || ''''"


def plain_reason(reason_sql: str) -> str:
    """SQL for a marked reason as a person reads it in the working database."""
    start, end = sql_literal(VALUE_START), sql_literal(VALUE_END)
    return f"replace(replace({reason_sql}, {start}, ''), {end}, '')"


def public_reason(reason_sql: str) -> str:
    """SQL for a marked reason with every quoted value replaced by ``…``."""
    pattern = sql_literal(f"{VALUE_START}[^{VALUE_END}]*{VALUE_END}")
    return f"regexp_replace({reason_sql}, {pattern}, '…', 'g')"
