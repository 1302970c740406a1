"""Alert delivery (docs/alerts.md): the off-track rows of metrics.kpi_alerts, sent once to
the Slack, Microsoft Teams, JSON-webhook and e-mail channels of the alerts file."""
