"""When the nightly job runs."""

from dagster import DefaultScheduleStatus, ScheduleDefinition

from orchestration.jobs import nightly_kpi_job

nightly_kpi_schedule = ScheduleDefinition(
    name="nightly_kpi_schedule",
    job=nightly_kpi_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Tokyo",
    default_status=DefaultScheduleStatus.RUNNING,
    description="Ingest the day's SFA/MA exports, rebuild, check and publish at 02:00 JST.",
)
