"""HubSpot tables kpitree reads (connector tables and CRM exports).

Filled in by the HubSpot adapter; see models/staging/hubspot/.
"""

from orchestration.contract import Table

TABLES: dict[str, Table] = {}
