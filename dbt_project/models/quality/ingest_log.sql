{#- The ingest log of every landing file, under its published contract. -#}
with

ingest_log as (select * from {{ source('ingest', 'ingest_log') }}),

final as (
    select
        cast(file as {{ dbt.type_string() }}) as file,
        cast(table_name as {{ dbt.type_string() }}) as table_name,
        cast(content_hash as {{ dbt.type_string() }}) as content_hash,
        cast(file_format as {{ dbt.type_string() }}) as file_format,
        cast(encoding as {{ dbt.type_string() }}) as encoding,
        cast(status as {{ dbt.type_string() }}) as status,
        cast(rows_read as bigint) as rows_read,
        cast(rows_loaded as bigint) as rows_loaded,
        cast(rows_quarantined as bigint) as rows_quarantined,
        cast(message as {{ dbt.type_string() }}) as message,
        cast(loaded_at as {{ type_timestamptz() }}) as loaded_at
    from ingest_log
)

select * from final
order by loaded_at, file
