{#- Every quarantined row or rejected file, under its published contract. -#}
with

quarantine as (select * from {{ source('ingest', 'quarantine') }}),

final as (
    select
        cast(file as varchar) as file,
        cast(table_name as varchar) as table_name,
        cast(line as bigint) as line,
        cast(raw_row as varchar) as raw_row,
        cast(reason as varchar) as reason,
        cast(content_hash as varchar) as content_hash,
        cast(quarantined_at as timestamptz) as quarantined_at
    from quarantine
)

select * from final
order by file, line
