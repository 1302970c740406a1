{#- The ingest log of every landing file, under its published contract. -#}
with

ingest_log as (select * from {{ source('ingest', 'ingest_log') }}),

final as (
    select
        cast(file as varchar) as file,
        cast(table_name as varchar) as table_name,
        cast(content_hash as varchar) as content_hash,
        cast(file_format as varchar) as file_format,
        cast(encoding as varchar) as encoding,
        cast(status as varchar) as status,
        cast(rows_read as bigint) as rows_read,
        cast(rows_loaded as bigint) as rows_loaded,
        cast(rows_quarantined as bigint) as rows_quarantined,
        cast(message as varchar) as message,
        cast(loaded_at as timestamptz) as loaded_at
    from ingest_log
)

select * from final
order by loaded_at, file
