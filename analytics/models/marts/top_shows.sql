{{ config(materialized='parquet') }}

-- Podcasts (episodes, which only an export brings): shows ranked by minutes, per local year and over all time.
with totals as (
    select
        period,
        year,
        show_key,
        arg_max(show_name, ended_at_ms) as show_name,
        count(distinct episode_name) as episodes,
        count(*) filter (where counted) as listens,
        round(coalesce(sum(ms_played), 0) / 60000, 1) as minutes
    from {{ ref('int_period_listens') }}
    where kind = 'episode' and show_key is not null
    group by period, year, show_key
)

select
    period,
    year,
    show_name,
    episodes,
    listens,
    minutes,
    rank() over (partition by period order by minutes desc, listens desc) as rank_by_minutes
from totals
