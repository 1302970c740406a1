{#- The current connector schema (hs_meeting_* properties), else the older
    one (meeting_outcome, start_time). -#}
{{ hubspot_engagement_rows('engagement_meeting', {
    'meeting_outcome': 'coalesce(property_hs_meeting_outcome, meeting_outcome)',
    'starts_at': 'coalesce('
        ~ hubspot_instant('property_hs_meeting_start_time') ~ ', '
        ~ hubspot_instant('start_time') ~ ')',
}) }}
