{{ config(materialized='parquet') }}

-- Podcasts (episodes, which only an export brings): shows ranked by minutes, per local year and over all time.
-- read more than once below: not materialized, so each read scans only the columns it needs
with episodes as not materialized (
    select
        local_year as year,
        lower(trim(show_name)) as show_key,
        show_name,
        episode_name,
        ended_at_ms,
        counted,
        ms_played
    from {{ ref('int_local_listens') }}
    where kind = 'episode' and show_name is not null
),

totals as (
    select
        year::varchar as period,
        year,
        show_key,
        arg_max(show_name, ended_at_ms) as show_name,
        count(distinct episode_name) as episodes,
        count(*) filter (where counted) as listens,
        round(coalesce(sum(ms_played), 0) / 60000, 1) as minutes
    from episodes
    group by year, show_key
    union all
    select
        'all',
        null::bigint,
        show_key,
        arg_max(show_name, ended_at_ms),
        count(distinct episode_name),
        count(*) filter (where counted),
        round(coalesce(sum(ms_played), 0) / 60000, 1)
    from episodes
    group by show_key
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
