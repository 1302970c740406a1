{#
    Raw tables keep every loaded version of a row. The current version of a
    primary key is the one with the newest `updated_at` (an instant, so offsets
    compare correctly); without one, or on a tie, the later landing file in name
    order, then the later line.
#}
{% macro latest_version(relation, primary_key, version_column=none) -%}
    select *
    from (
        select
            *,
            row_number() over (
                partition by {{ primary_key | join(', ') }}
                order by
                    {% if version_column %}{{ version_column }} desc nulls last,{% endif %}
                    _file desc,
                    _line desc
            ) as _version_rank
        from {{ relation }}
    ) as versions
    where _version_rank = 1
{%- endmacro %}
