{{ config(materialized='parquet') }}

-- Runs of consecutive local days with at least one counted listen (streaks), and the runs
-- without any between them (dry spells).
with days as (
    select
        local_date,
        active
    from {{ ref('daily') }}
),

islands as (
    select
        local_date,
        active,
        local_date - (row_number() over (partition by active order by local_date))::integer as island
    from days
),

runs as (
    select
        case when active then 'streak' else 'dry_spell' end as kind,
        min(local_date) as start_date,
        max(local_date) as end_date,
        count(*) as days
    from islands
    group by active, island
)

select
    kind,
    start_date,
    end_date,
    days,
    year(start_date) as local_year,
    rank() over (partition by kind order by days desc, start_date) as rank_by_length
from runs
