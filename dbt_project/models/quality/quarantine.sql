{#-
    Every quarantined row or rejected file, under its published contract.
    Published without the raw row, and with the reason whose quoted values the
    ingest step has already replaced by '…' (public_reason): a person looks the
    row up in the working database (ingest.quarantine), or in the file by file
    and line.
-#}
with

quarantine as (select * from {{ source('ingest', 'quarantine') }}),

final as (
    select
        cast(file as varchar) as file,
        cast(table_name as varchar) as table_name,
        cast(line as bigint) as line,
        cast(column_name as varchar) as column_name,
        cast(public_reason as varchar) as reason,
        cast(row_key as varchar) as row_key,
        cast(content_hash as varchar) as content_hash,
        cast(quarantined_at as timestamptz) as quarantined_at
    from quarantine
)

select * from final
order by file, line
