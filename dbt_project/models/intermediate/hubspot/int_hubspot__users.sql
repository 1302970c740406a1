{#
    Owners as users: the connector's owners (with their primary team) and
    the owners CRM exports name (by name only: the name is their user_id),
    combined (hubspot_combined_shapes), then the department from
    hubspot_owner_departments: a row naming the owner (id, email or full
    name) wins over a row naming the team, which wins over the default `*`.
#}
{%- set user_columns = [
    'user_id',
    'full_name',
    'email',
    'team',
    'is_active',
    'is_named_in_export',
    'updated_at',
] %}

with

owners as (select * from {{ ref('stg_hubspot__owner') }}),

owner_teams as (select * from {{ ref('stg_hubspot__owner_team') }}),

teams as (select * from {{ ref('stg_hubspot__team') }}),

export_contacts as (select * from {{ ref('stg_hubspot__contacts') }}),

export_deals as (select * from {{ ref('stg_hubspot__deals') }}),

owner_departments as (
    select
        department,
        {{ hubspot_map_key('owner_or_team') }} as map_key
    from {{ ref('hubspot_owner_departments') }}
),

{# The primary team; without one, the first team by name. #}
ranked_teams as (
    select
        owner_teams.owner_id,
        teams.team_name,
        row_number() over (
            partition by owner_teams.owner_id
            order by
                coalesce(owner_teams.is_team_primary, false) desc,
                teams.team_name asc
        ) as team_rank
    from owner_teams
    inner join teams on owner_teams.team_id = teams.team_id
),

connector_shape as (
    select
        owners.owner_id as user_id,
        nullif(
            trim(concat_ws(' ', owners.first_name, owners.last_name)), ''
        ) as full_name,
        owners.email,
        ranked_teams.team_name as team,
        owners.is_active,
        false as is_named_in_export,
        owners.updated_at,
        owners._extra,
        owners._file,
        owners._line
    from owners
    left join ranked_teams
        on
            owners.owner_id = ranked_teams.owner_id
            and ranked_teams.team_rank = 1
),

owner_mentions as (
    select
        owner_name,
        _file,
        _line
    from export_contacts
    where owner_name is not null
    union all
    select
        owner_name,
        _file,
        _line
    from export_deals
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

{# No updated_at: a users row with the same user_id and one wins. #}
export_shape as (
    select
        owner_name as user_id,
        owner_name as full_name,
        cast(null as {{ dbt.type_string() }}) as email,
        cast(null as {{ dbt.type_string() }}) as team,
        cast(null as boolean) as is_active,
        true as is_named_in_export,
        cast(null as {{ type_timestamptz() }}) as updated_at,
        cast(null as {{ dbt.type_string() }}) as _extra,
        _file,
        _line
    from first_mentions
    where mention_rank = 1
),

named_users as (
    {{ hubspot_combined_shapes(
        ['connector_shape', 'export_shape'],
        key='user_id',
        columns=user_columns,
    ) }}
),

users as (
    select
        named_users.user_id,
        coalesce(
            named_users.full_name, named_users.email, named_users.user_id
        ) as user_name,
        coalesce(
            by_id.department,
            by_email.department,
            by_name.department,
            by_team.department,
            by_default.department
        ) as department,
        named_users.team,
        cast(null as {{ dbt.type_string() }}) as manager_id,
        named_users.email,
        named_users.is_active,
        named_users.is_named_in_export,
        named_users.updated_at,
        named_users._extra,
        named_users._file,
        named_users._line
    from named_users
    left join owner_departments as by_id
        on {{ hubspot_map_key('named_users.user_id') }} = by_id.map_key
    left join owner_departments as by_email
        on {{ hubspot_map_key('named_users.email') }} = by_email.map_key
    left join owner_departments as by_name
        on {{ hubspot_map_key('named_users.full_name') }} = by_name.map_key
    left join owner_departments as by_team
        on {{ hubspot_map_key('named_users.team') }} = by_team.map_key
    left join owner_departments as by_default
        on by_default.map_key = '*'
)

select * from users
