"""The Dagster Definitions load, and the job, schedule and sensor are wired as
the README says."""

from __future__ import annotations

from pathlib import Path

from dagster import AssetKey, DagsterInstance, build_sensor_context


def test_definitions_load_and_resolve_every_job() -> None:
    from orchestration.definitions import defs

    for job in defs.jobs or []:
        assert defs.resolve_job_def(job.name) is not None
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {"canonical/leads", "metrics/kpi_values", "published_warehouse"} <= keys


def test_data_flows_ingest_then_dbt_then_publish() -> None:
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    staging = graph.get(AssetKey(["staging", "stg_canonical__leads"]))
    assert AssetKey(["canonical", "leads"]) in staging.parent_keys
    publish = graph.get(AssetKey("published_warehouse"))
    assert AssetKey(["metrics", "kpi_values"]) in publish.parent_keys


def test_dbt_tests_are_asset_checks() -> None:
    from orchestration.definitions import defs

    checks = defs.resolve_asset_graph().asset_check_keys
    names = {(check.asset_key.to_user_string(), check.name) for check in checks}
    assert ("intermediate/int_leads", "unique_int_leads_lead_id") in names


def test_nightly_schedule_runs_at_two_in_tokyo() -> None:
    from orchestration.definitions import defs

    schedule = defs.resolve_schedule_def("nightly_kpi_schedule")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "Asia/Tokyo"
    assert schedule.job_name == "nightly_kpi_job"


def test_sensor_requests_a_run_only_when_files_change(tmp_path: Path, monkeypatch) -> None:
    from orchestration.sensors import landing_files_sensor

    landing = tmp_path / "landing"
    (landing / "leads").mkdir(parents=True)
    monkeypatch.setenv("KPITREE_LANDING", str(landing))
    with DagsterInstance.ephemeral() as instance:
        empty = landing_files_sensor(build_sensor_context(instance=instance))
        assert empty.__class__.__name__ == "SkipReason"
        (landing / "leads" / "a.csv").write_text("lead_id\n")
        context = build_sensor_context(instance=instance)
        request = landing_files_sensor(context)
        assert request.__class__.__name__ == "RunRequest"
        again = landing_files_sensor(build_sensor_context(instance=instance, cursor=context.cursor))
        assert again.__class__.__name__ == "SkipReason"
