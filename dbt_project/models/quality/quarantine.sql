{#-
    Every quarantined row or rejected file, under its published contract.
    Published without the raw row, and with the values a reason quotes
    replaced by '…': a person looks the row up in the working database (or
    the file, by file and line). The rules quote a value as "col: 'v' is ..."
    or "col: not ...: 'v'"; when a reason has any other quote left, everything
    from its first quote to its last is elided.
-#}
with

quarantine as (select * from {{ source('ingest', 'quarantine') }}),

templated as (
    select
        *,
        -- "col: not ...: 'v'" first, then "col: 'v' is ...", each through a
        -- placeholder so that one value's match cannot run into the next
        replace(
            regexp_replace(
                regexp_replace(
                    reason,
                    ': (not [^:;'']*): ''(?s:.*?)''(; |$)',
                    ': \1: ' || chr(57344) || '\2',
                    'g'
                ),
                ': ''(?s:.*?)'' is ',
                ': ' || chr(57344) || ' is ',
                'g'
            ),
            chr(57344),
            '''…'''
        ) as templated_reason
    from quarantine
),

final as (
    select
        cast(file as varchar) as file,
        cast(table_name as varchar) as table_name,
        cast(line as bigint) as line,
        cast(column_name as varchar) as column_name,
        cast(
            case
                when replace(templated_reason, '''…''', '') not like '%''%'
                    then templated_reason
                else regexp_replace(reason, '(?s)''.*''', '''…''')
            end as varchar
        ) as reason,
        cast(row_key as varchar) as row_key,
        cast(content_hash as varchar) as content_hash,
        cast(quarantined_at as timestamptz) as quarantined_at
    from templated
)

select * from final
order by file, line
