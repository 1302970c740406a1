{#
    THE KPI CATALOG: every published KPI, one entry per version.

    A KPI is numerator / denominator over named measures (the measures are
    counted or summed per period and dimension in the intermediate `kpi`
    models). `kind` says how the value is formed:
      count  -> numerator (0 over no records)
      amount -> numerator; with a denominator, numerator / denominator
                (an average: NULL over no records)
      rate   -> 100 * numerator / denominator, NULL when the denominator is 0
      ratio  -> numerator / denominator (not x 100), NULL when it is 0
    numerator / denominator are SQL over measure names; combine measures with
    `*` only (a measure missing in a period counts as 0, so `a + b` would hide
    it: add a measure instead).

    Optional keys: `direction: lower_is_better` (attainment flips its test),
    `point_in_time: true` (a level at the period's end, never projected),
    `benchmark:` (the source articles' reference figure, in the KPI's unit),
    `grains:`, `dimensions:`, `unit:`, `version:` / `is_current:`.

    To add a KPI: add an entry here (and, if it needs a new measure, one branch
    in int_kpi_events or the snapshot model that owns that kind of measure).
    To change a formula: add a new entry with the next `version`, and set
    `is_current: false` on the old one; the old version keeps publishing until
    its entry is removed.
#}
{% macro kpi_dimension_sets() -%}
    {{ return({
        'people': ['all', 'department', 'team', 'owner', 'lead_source', 'segment'],
        'marketing': ['all', 'lead_source', 'segment'],
        'account': ['all', 'segment'],
    }) }}
{%- endmacro %}

{% macro kpi_catalog() -%}
{%- set catalog_yaml -%}
# --- Lead acquisition / リード獲得 (marketing) -------------------------------
- name: lead_count
  label_ja: リード数
  label_en: Leads
  kind: count
  numerator: leads_created
  dimensions: people
  owner_department: marketing
  definition: Leads with created_at in the period.
- name: document_request_count
  label_ja: 資料請求数
  label_en: Document requests
  kind: count
  numerator: document_requests
  dimensions: marketing
  owner_department: marketing
  definition: Campaign responses of type document_request with responded_at in the period.
- name: seminar_registration_count
  label_ja: セミナー申込数
  label_en: Seminar registrations
  kind: count
  numerator: seminar_registrations
  dimensions: marketing
  owner_department: marketing
  definition: Campaign responses of type seminar_registration with responded_at in the period.
- name: mql_count
  label_ja: MQL数
  label_en: MQLs
  kind: count
  numerator: mqls
  dimensions: people
  owner_department: marketing
  definition: Leads with mql_at in the period (the flag as marketing set it).
- name: sql_count
  label_ja: SQL数
  label_en: SQLs
  kind: count
  numerator: sqls
  dimensions: people
  owner_department: inside_sales
  definition: Leads with sql_at in the period (the flag as inside sales set it).
- name: mql_conformance_rate
  label_ja: MQL定義適合率
  label_en: MQL definition conformance
  kind: rate
  numerator: mqls_conforming
  denominator: mqls
  dimensions: people
  owner_department: marketing
  definition: "Share of the MQLs of the period (mql_at in P) that break no rule of the shared MQL definition (expectations/lead_definitions.yml, rules of population mql) x 100. Read mql_count with it."
- name: sql_conformance_rate
  label_ja: SQL定義適合率
  label_en: SQL definition conformance
  kind: rate
  numerator: sqls_conforming
  denominator: sqls
  dimensions: people
  owner_department: inside_sales
  definition: "Share of the SQLs of the period (sql_at in P) that break no rule of the shared SQL definition (rules of population sql) x 100. Read sql_count with it."
- name: mql_to_sql_rate
  label_ja: MQL→SQL転換率
  label_en: MQL to SQL rate
  kind: rate
  numerator: sqls
  denominator: mqls
  dimensions: people
  owner_department: marketing
  definition: sql_count / mql_count x 100.
- name: email_delivery_rate
  label_ja: 到達率
  label_en: Email delivery rate
  kind: rate
  numerator: emails_delivered
  denominator: emails_sent
  dimensions: marketing
  owner_department: marketing
  benchmark: 96
  definition: Email events 'delivered' in the period / events 'sent' in the period x 100.
- name: email_open_rate
  label_ja: 開封率
  label_en: Email open rate
  kind: rate
  numerator: email_pairs_opened
  denominator: email_pairs_delivered
  dimensions: marketing
  owner_department: marketing
  benchmark: 20
  definition: Distinct (email_id, lead_id) opened in the period / distinct (email_id, lead_id) delivered in the period x 100.
- name: email_click_to_open_rate
  label_ja: クリック率(開封後)
  label_en: Email click-to-open rate
  kind: rate
  numerator: email_pairs_clicked
  denominator: email_pairs_opened
  dimensions: marketing
  owner_department: marketing
  benchmark: 25
  definition: Distinct (email_id, lead_id) clicked in the period / distinct (email_id, lead_id) opened in the period x 100.
# --- Inside sales / インサイドセールス -------------------------------------
- name: call_count
  label_ja: 架電数
  label_en: Calls
  kind: count
  numerator: calls
  dimensions: people
  owner_department: inside_sales
  definition: Activities of type call, direction outbound, occurred_at in the period.
- name: connected_call_count
  label_ja: コネクト数
  label_en: Connected calls
  kind: count
  numerator: connected_calls
  dimensions: people
  owner_department: inside_sales
  definition: Outbound calls in the period with outcome connected.
- name: connect_rate
  label_ja: コネクト率
  label_en: Connect rate
  kind: rate
  numerator: connected_calls
  denominator: calls
  dimensions: people
  owner_department: inside_sales
  definition: connected_call_count / call_count x 100.
- name: calls_per_rep_day
  label_ja: 1人1日あたり架電数
  label_en: Calls per rep per day
  kind: ratio
  numerator: calls
  denominator: call_rep_days
  dimensions: people
  owner_department: inside_sales
  benchmark: 34
  definition: call_count / distinct (owner_id, local date) pairs with at least one outbound call in the period. Benchmark 34.
- name: follow_ups_per_lead
  label_ja: 追客回数
  label_en: Follow-ups per lead
  kind: ratio
  numerator: follow_ups
  denominator: followed_up_leads
  dimensions: people
  owner_department: inside_sales
  benchmark: 5.1
  definition: Outbound call or email activities with a lead in the period / distinct leads among them. Benchmark 5.1.
- name: contacted_lead_count
  label_ja: 接触リード数
  label_en: Contacted leads
  kind: count
  numerator: contacted_leads
  dimensions: people
  owner_department: inside_sales
  definition: Distinct leads with at least one connected outbound call in the period.
- name: appointment_count
  label_ja: アポ獲得数 (商談設定数)
  label_en: Appointments set
  kind: count
  numerator: appointments
  dimensions: people
  owner_department: inside_sales
  definition: Meetings with created_at (the moment the meeting was set) in the period.
- name: appointment_rate
  label_ja: アポ獲得率
  label_en: Appointment rate
  kind: rate
  numerator: appointments
  denominator: contacted_leads
  dimensions: people
  owner_department: inside_sales
  definition: appointment_count / contacted_lead_count x 100.
- name: lead_to_meeting_rate
  label_ja: 商談化率 (リード起点)
  label_en: Lead-to-meeting rate
  kind: rate
  numerator: appointments
  denominator: leads_created
  dimensions: people
  owner_department: inside_sales
  definition: appointment_count / lead_count x 100 (the inside-sales article's 商談化率).
- name: pipeline_created_amount
  label_ja: パイプライン創出額
  label_en: Pipeline created
  kind: amount
  unit: JPY
  numerator: pipeline_created_amount
  dimensions: people
  owner_department: inside_sales
  definition: Sum of amount of new_business opportunities with created_at in the period.
# --- Meetings to orders / 商談〜受注 (field sales) ---------------------------
- name: meeting_count
  label_ja: 商談数
  label_en: Meetings held
  kind: count
  numerator: meetings_held
  dimensions: people
  owner_department: field_sales
  definition: Meetings with status held and scheduled_at in the period.
- name: meeting_held_rate
  label_ja: 商談化率 (アポ起点)
  label_en: Meeting held rate
  kind: rate
  numerator: meetings_held
  denominator: appointments
  dimensions: people
  owner_department: field_sales
  definition: meeting_count / appointment_count x 100 (the sales-KPI article's 商談化率).
- name: opportunity_count
  label_ja: 案件数
  label_en: Opportunities created
  kind: count
  numerator: opportunities_created
  dimensions: people
  owner_department: field_sales
  definition: new_business opportunities with created_at in the period.
- name: opportunity_rate
  label_ja: 案件化率
  label_en: Opportunity rate
  kind: rate
  numerator: opportunities_created
  denominator: meetings_held
  dimensions: people
  owner_department: field_sales
  definition: opportunity_count / meeting_count x 100.
- name: won_count
  label_ja: 受注件数
  label_en: Deals won
  kind: count
  numerator: won_deals
  dimensions: people
  owner_department: field_sales
  definition: new_business opportunities with is_won and close_date in the period.
- name: lost_count
  label_ja: 失注件数
  label_en: Deals lost
  kind: count
  numerator: lost_deals
  dimensions: people
  owner_department: field_sales
  definition: new_business opportunities closed and not won with close_date in the period.
- name: win_rate
  version: 1
  is_current: false
  label_ja: 受注率 (案件起点・旧定義)
  label_en: Win rate (v1, won / opportunities created)
  kind: rate
  numerator: won_deals
  denominator: opportunities_created
  dimensions: people
  owner_department: field_sales
  definition: "Superseded by v2. The inside-sales article's literal 受注数 / 案件数: won_count / opportunity_count (new_business opportunities created in the period) x 100."
- name: win_rate
  version: 2
  label_ja: 受注率
  label_en: Win rate
  kind: rate
  numerator: won_deals
  denominator: closed_deals
  dimensions: people
  owner_department: field_sales
  definition: won_count / (won_count + lost_count) x 100, over new_business opportunities closed in the period.
- name: meeting_win_rate
  label_ja: 受注率 (商談起点)
  label_en: Meeting win rate
  kind: rate
  numerator: won_deals
  denominator: meetings_held
  dimensions: people
  owner_department: field_sales
  definition: won_count / meeting_count x 100 (the sales-KPI article's 受注率).
- name: won_amount
  label_ja: 受注金額
  label_en: Won amount
  kind: amount
  unit: JPY
  numerator: won_amount
  dimensions: people
  owner_department: field_sales
  definition: Sum of amount of the won new_business opportunities with close_date in the period.
- name: avg_deal_size
  label_ja: 平均受注単価
  label_en: Average deal size
  kind: amount
  unit: JPY
  numerator: won_amount
  denominator: won_deals
  dimensions: people
  owner_department: field_sales
  definition: won_amount / won_count; NULL when nothing was won.
- name: open_pipeline_amount
  label_ja: パイプライン額
  label_en: Open pipeline
  kind: amount
  unit: JPY
  numerator: open_pipeline_amount
  dimensions: people
  owner_department: field_sales
  point_in_time: true
  definition: Sum of amount of opportunities of every type open at the end of the period, as of the latest stage-history row before the end (the opportunity as it is now when it has none).
- name: weighted_pipeline_amount
  label_ja: 加重パイプライン
  label_en: Weighted pipeline
  kind: amount
  unit: JPY
  numerator: weighted_pipeline_amount
  dimensions: people
  owner_department: field_sales
  point_in_time: true
  definition: Sum of amount x probability / 100 over the opportunities open at the end of the period.
# --- Retention and expansion / 継続・拡大 ------------------------------------
- name: mrr
  label_ja: MRR
  label_en: MRR
  kind: amount
  unit: JPY
  numerator: mrr_last_day
  grains: [month, quarter, fiscal_year]
  dimensions: account
  owner_department: customer_success
  point_in_time: true
  definition: Sum over accounts of the MRR in effect on the period's last day.
- name: renewal_rate
  label_ja: 継続率
  label_en: Renewal rate
  kind: rate
  numerator: subscriptions_renewed
  denominator: subscriptions_ending
  grains: [month, quarter, fiscal_year]
  dimensions: account
  owner_department: customer_success
  definition: Subscriptions with end_date in the period that a later subscription names as renewed_from / subscriptions with end_date in the period x 100.
- name: nrr
  label_ja: NRR (売上維持率)
  label_en: Net revenue retention
  kind: rate
  numerator: closing_mrr
  denominator: opening_mrr
  grains: [month, quarter, fiscal_year]
  dimensions: account
  owner_department: customer_success
  definition: Over accounts with opening MRR > 0, MRR on the day after the period / MRR on its first day x 100.
- name: grr
  label_ja: GRR
  label_en: Gross revenue retention
  kind: rate
  numerator: retained_mrr
  denominator: opening_mrr
  grains: [month, quarter, fiscal_year]
  dimensions: account
  owner_department: customer_success
  definition: Over accounts with opening MRR > 0, the sum of min(closing, opening MRR) / opening MRR x 100.
- name: customer_churn_rate
  label_ja: 解約率
  label_en: Customer churn rate
  kind: rate
  numerator: churned_accounts
  denominator: opening_accounts
  grains: [month, quarter, fiscal_year]
  dimensions: account
  owner_department: customer_success
  direction: lower_is_better
  definition: Accounts with opening MRR > 0 whose MRR on the day after the period is 0 / accounts with opening MRR > 0 x 100.
- name: arpa
  label_ja: 平均単価 (ARPA)
  label_en: Average revenue per account
  kind: amount
  unit: JPY
  numerator: mrr_last_day
  denominator: active_accounts
  grains: [month, quarter, fiscal_year]
  dimensions: account
  owner_department: customer_success
  definition: mrr / accounts with MRR > 0 on the period's last day.
- name: ltv
  label_ja: LTV
  label_en: Customer lifetime value
  kind: amount
  unit: JPY
  numerator: mrr_last_day * opening_accounts
  denominator: active_accounts * churned_accounts
  grains: [month]
  dimensions: account
  owner_department: customer_success
  definition: arpa x average lifetime in months (100 / customer_churn_rate), i.e. (mrr / active accounts) x (opening accounts / churned accounts); NULL when churn is 0 or NULL.
{%- endset -%}
{%- set units = {'count': 'count', 'rate': 'percent', 'ratio': 'ratio', 'amount': 'JPY'} -%}
{%- set kpis = [] -%}
{%- for entry in fromyaml(catalog_yaml) -%}
    {%- set grains = entry.get('grains', all_grains()) -%}
    {%- set dims = entry.get('dimensions', 'people') -%}
    {%- do kpis.append({
        'name': entry['name'],
        'version': entry.get('version', 1),
        'is_current': entry.get('is_current', true),
        'label_ja': entry['label_ja'],
        'label_en': entry['label_en'],
        'kind': entry['kind'],
        'unit': entry.get('unit', units[entry['kind']]),
        'numerator': entry['numerator'],
        'denominator': entry.get('denominator'),
        'grains': grains,
        'dimensions': kpi_dimension_sets()[dims] if dims is string else dims,
        'owner_department': entry['owner_department'],
        'definition': entry['definition'],
        'direction': entry.get('direction', 'higher_is_better'),
        'point_in_time': entry.get('point_in_time', false),
        'benchmark': entry.get('benchmark'),
    }) -%}
{%- endfor -%}
{{ return(kpis) }}
{%- endmacro %}

{#- Every measure name the catalog's formulas use, sorted. -#}
{% macro kpi_measure_names() -%}
    {%- set names = [] -%}
    {%- for kpi in kpi_catalog() -%}
        {%- for expression in [kpi.numerator, kpi.denominator] if expression -%}
            {%- for token in modules.re.findall('[a-z_][a-z0-9_]*', expression) -%}
                {%- if token not in names -%}{%- do names.append(token) -%}{%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(names | sort) }}
{%- endmacro %}

{#- The benchmark figure of the current version of a KPI (NULL when none). -#}
{% macro kpi_benchmark(kpi_name) -%}
    {%- for kpi in kpi_catalog() if kpi.name == kpi_name and kpi.is_current -%}
        {{ return(kpi.benchmark if kpi.benchmark is not none else 'null') }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error('no current KPI named ' ~ kpi_name) }}
{%- endmacro %}
