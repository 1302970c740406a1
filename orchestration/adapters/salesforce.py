"""Salesforce objects kpitree reads (connector tables and Data Loader / report exports).

Filled in by the Salesforce adapter; see models/staging/salesforce/.
"""

from orchestration.contract import Table

TABLES: dict[str, Table] = {}
HISTORY_TABLES: dict[str, Table] = {}
