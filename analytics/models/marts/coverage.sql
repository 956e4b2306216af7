{{ config(materialized='parquet') }}

-- Per local day: which sources cover it (live capture from when watching began to the cursor,
-- each export from its first row to its last), how many listens each brought, and the gaps
-- touching it, open or closed.
-- read more than once below: not materialized, so each read scans only the columns it needs
with listens as not materialized (
    select
        local_date,
        counted,
        in_api,
        in_export
    from {{ ref('int_local_listens') }}
),

export_spans as (
    select
        source,
        (min(ended_at) at time zone {{ var('tz') }})::date as first_day,
        (max(ended_at) at time zone {{ var('tz') }})::date as last_day
    from {{ ref('export_rows') }}
    group by source
),

api_span as (
    select
        'api' as source,
        least(
            (select min(watching_since) from {{ ref('sync_state') }}),
            (select min(played_at) from {{ ref('plays') }})
        ) as first_at,
        greatest(
            (select max(cursor_at) from {{ ref('sync_state') }}),
            (select max(played_at) from {{ ref('plays') }})
        ) as last_at
),

spans as (
    select source, first_day, last_day from export_spans
    union all
    select
        source,
        (first_at at time zone {{ var('tz') }})::date,
        (last_at at time zone {{ var('tz') }})::date
    from api_span
    where first_at is not null
),

calendar as (
    select unnest(generate_series(min(first_day), max(last_day), interval 1 day))::date as local_date
    from (
        select first_day, last_day from spans
        union all
        select min(local_date), max(local_date) from listens
    )
    having min(first_day) is not null
),

days as (
    select
        local_date,
        local_date::timestamp at time zone {{ var('tz') }} as day_start,
        (local_date + 1)::timestamp at time zone {{ var('tz') }} as day_end
    from calendar
),

per_day as (
    select
        local_date,
        count(*) filter (where counted) as listens,
        count(*) filter (where in_api) as api_listens,
        count(*) filter (where in_export) as export_listens
    from listens
    group by local_date
),

gaps as (
    select from_at, to_at, closed from {{ ref('gap_status') }}
),

day_gaps as (
    select
        days.local_date,
        count(*) filter (where not gaps.closed) as open_gaps,
        count(*) filter (where gaps.closed) as closed_gaps
    from days
    inner join gaps on gaps.from_at < days.day_end and gaps.to_at > days.day_start
    group by days.local_date
),

day_sources as (
    select
        days.local_date,
        string_agg(spans.source, '+' order by spans.source = 'api' desc, spans.source = 'extended' desc) as covered_by
    from days
    inner join spans on days.local_date between spans.first_day and spans.last_day
    group by days.local_date
)

select
    days.local_date,
    coalesce(day_sources.covered_by, 'none') as covered_by,
    coalesce(per_day.listens, 0) as listens,
    coalesce(per_day.api_listens, 0) as api_listens,
    coalesce(per_day.export_listens, 0) as export_listens,
    coalesce(day_gaps.open_gaps, 0) as open_gaps,
    coalesce(day_gaps.closed_gaps, 0) as closed_gaps
from days
left join per_day on per_day.local_date = days.local_date
left join day_gaps on day_gaps.local_date = days.local_date
left join day_sources on day_sources.local_date = days.local_date
