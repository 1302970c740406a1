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
        cast(file as {{ dbt.type_string() }}) as file,
        cast(table_name as {{ dbt.type_string() }}) as table_name,
        cast(line as bigint) as line,
        cast(column_name as {{ dbt.type_string() }}) as column_name,
        cast(public_reason as {{ dbt.type_string() }}) as reason,
        cast(row_key as {{ dbt.type_string() }}) as row_key,
        cast(content_hash as {{ dbt.type_string() }}) as content_hash,
        cast(quarantined_at as {{ type_timestamptz() }}) as quarantined_at
    from quarantine
)

select * from final
order by file, line
