{#
    The current rows of a typed engagement table (`engagement_call`,
    `engagement_email`, `engagement_meeting`): hubspot_current_rows with the
    columns every engagement type shares — engagement_id (the key), owner_id
    (hs owner), `columns` of the type, occurred_at (hs_timestamp),
    created_at (hs_createdate) — versioned by hs_lastmodifieddate.
#}
{% macro hubspot_engagement_rows(table_name, columns) -%}
    {%- set engagement_columns = {
        'engagement_id': 'engagement_id',
        'owner_id': hubspot_id('property_hubspot_owner_id'),
    } -%}
    {%- do engagement_columns.update(columns) -%}
    {%- do engagement_columns.update({
        'occurred_at': hubspot_instant('property_hs_timestamp'),
        'created_at': hubspot_instant('property_hs_createdate'),
    }) -%}
    {{ return(hubspot_current_rows(
        source('hubspot', table_name),
        key='engagement_id',
        columns=engagement_columns,
        modified_at='property_hs_lastmodifieddate',
    )) }}
{%- endmacro %}
