{#
    HubSpot owners as users: one row per owner. The department comes from the
    seed hubspot_owner_departments: a row naming the owner (owner id, email or
    full name) wins over a row naming the owner's primary team, which wins
    over the default row `*`; an owner matched by none has no department.
#}
with

owners as (select * from {{ ref('base_hubspot__owner') }}),

owner_teams as (select * from {{ ref('base_hubspot__owner_team') }}),

teams as (select * from {{ ref('base_hubspot__team') }}),

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

named_owners as (
    select
        owners.owner_id,
        owners.email,
        owners.is_active,
        owners.updated_at,
        owners._file,
        owners._line,
        ranked_teams.team_name,
        nullif(
            trim(concat_ws(' ', owners.first_name, owners.last_name)), ''
        ) as full_name
    from owners
    left join ranked_teams
        on
            owners.owner_id = ranked_teams.owner_id
            and ranked_teams.team_rank = 1
),

users as (
    select
        named_owners.owner_id as user_id,
        coalesce(
            named_owners.full_name, named_owners.email, named_owners.owner_id
        ) as user_name,
        coalesce(
            by_id.department,
            by_email.department,
            by_name.department,
            by_team.department,
            by_default.department
        ) as department,
        named_owners.team_name as team,
        cast(null as varchar) as manager_id,
        named_owners.email,
        named_owners.is_active,
        named_owners.updated_at,
        named_owners._file,
        named_owners._line
    from named_owners
    left join owner_departments as by_id
        on {{ hubspot_map_key('named_owners.owner_id') }} = by_id.map_key
    left join owner_departments as by_email
        on {{ hubspot_map_key('named_owners.email') }} = by_email.map_key
    left join owner_departments as by_name
        on {{ hubspot_map_key('named_owners.full_name') }} = by_name.map_key
    left join owner_departments as by_team
        on {{ hubspot_map_key('named_owners.team_name') }} = by_team.map_key
    left join owner_departments as by_default
        on by_default.map_key = '*'
)

select * from users
