{#
    The owners named in CRM exports, as users: an export shows an owner by
    name only, so the name is the user_id (and the owner_id of the exported
    records). One row per owner name. The department comes from the seed
    hubspot_owner_departments (a row with the name, else the default row
    `*`). updated_at is empty, so a canonical users file naming the same
    user_id with its updated_at wins.
#}
with

contacts as (select * from {{ ref('base_hubspot__contacts') }}),

deals as (select * from {{ ref('base_hubspot__deals') }}),

owner_departments as (
    select
        department,
        {{ hubspot_map_key('owner_or_team') }} as map_key
    from {{ ref('hubspot_owner_departments') }}
),

owner_mentions as (
    select
        owner_name,
        _file,
        _line
    from contacts
    where owner_name is not null
    union all
    select
        owner_name,
        _file,
        _line
    from deals
    where owner_name is not null
),

{# Where each name is first mentioned. #}
first_mentions as (
    select
        owner_name,
        _file,
        _line,
        row_number() over (
            partition by owner_name order by _file asc, _line asc
        ) as mention_rank
    from owner_mentions
),

users as (
    select
        first_mentions.owner_name as user_id,
        first_mentions.owner_name as user_name,
        coalesce(by_name.department, by_default.department) as department,
        cast(null as varchar) as team,
        cast(null as varchar) as manager_id,
        cast(null as varchar) as email,
        cast(null as boolean) as is_active,
        cast(null as timestamptz) as updated_at,
        first_mentions._file,
        first_mentions._line
    from first_mentions
    left join owner_departments as by_name
        on {{ hubspot_map_key('first_mentions.owner_name') }} = by_name.map_key
    left join owner_departments as by_default
        on by_default.map_key = '*'
    where first_mentions.mention_rank = 1
)

select * from users
