{#
    Recurring-revenue measures per month, quarter and fiscal year.

    MRR(a, d) is the sum of account a's subscription MRR in effect on day d
    (start_date <= d and end_date empty or >= d: a subscription is in effect
    through its end date). For a period P: opening = MRR on P's first day,
    closing = MRR on the day after P (the next period's opening, so a contract
    ending on P's last day and not renewed is lost in P), last_day = MRR on P's
    last day. A0 = accounts with opening MRR > 0.
#}
with

subscriptions as (select * from {{ ref('int_subscriptions') }}),

accounts as (select * from {{ ref('int_accounts') }}),

periods as (
    select
        grain,
        period_start,
        period_start as first_day,
        cast({{ dbt.dateadd('day', -1, 'period_end') }} as date) as last_day,
        period_end as next_day
    from {{ ref('int_periods') }}
    where grain in ('month', 'quarter', 'fiscal_year')
),

account_mrr as (
    select
        periods.grain,
        periods.period_start,
        subscriptions.account_id,
        {% for day in ['first_day', 'last_day', 'next_day'] %}
            sum(
                case
                    when
                        subscriptions.start_date <= periods.{{ day }}
                        and (
                            subscriptions.end_date is null
                            or subscriptions.end_date >= periods.{{ day }}
                        )
                        then subscriptions.mrr
                    else 0
                end
            ) as mrr_on_{{ day }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from periods
    inner join subscriptions
        on
            periods.next_day >= subscriptions.start_date
            and (
                subscriptions.end_date is null
                or periods.first_day <= subscriptions.end_date
            )
    group by periods.grain, periods.period_start, subscriptions.account_id
),

with_segment as (
    select
        account_mrr.*,
        accounts.segment,
        account_mrr.mrr_on_first_day > 0 as is_opening_account
    from account_mrr
    left join accounts on account_mrr.account_id = accounts.account_id
),

by_dimension as (
    select
        grain,
        period_start,
        'all' as dimension,
        'all' as dimension_value,
        mrr_on_first_day,
        mrr_on_last_day,
        mrr_on_next_day,
        is_opening_account
    from with_segment
    union all
    select
        grain,
        period_start,
        'segment' as dimension,
        segment as dimension_value,
        mrr_on_first_day,
        mrr_on_last_day,
        mrr_on_next_day,
        is_opening_account
    from with_segment
    where segment is not null
),

aggregated as (
    select
        grain,
        period_start,
        dimension,
        dimension_value,
        sum(mrr_on_last_day) as mrr_last_day,
        count(case when mrr_on_last_day > 0 then 1 end) as active_accounts,
        sum(case when is_opening_account then mrr_on_first_day else 0 end)
            as opening_mrr,
        sum(case when is_opening_account then mrr_on_next_day else 0 end)
            as closing_mrr,
        sum(
            case
                when is_opening_account
                    then least(mrr_on_next_day, mrr_on_first_day)
                else 0
            end
        ) as retained_mrr,
        count(case when is_opening_account then 1 end) as opening_accounts,
        count(
            case when is_opening_account and mrr_on_next_day = 0 then 1 end
        ) as churned_accounts
    from by_dimension
    group by grain, period_start, dimension, dimension_value
),

unpivoted as (
    {% set measures = [
        'mrr_last_day', 'active_accounts', 'opening_mrr', 'closing_mrr',
        'retained_mrr', 'opening_accounts', 'churned_accounts',
    ] %}
    {% for measure in measures %}
        select
            '{{ measure }}' as measure_name,
            grain,
            period_start,
            dimension,
            dimension_value,
            cast({{ measure }} as {{ type_double() }}) as measure_value
        from aggregated
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from unpivoted
