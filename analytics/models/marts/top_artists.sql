{{ config(materialized='parquet') }}

-- Artists ranked by counted listens and by minutes listened, per local year and over all time
-- (period 'all', year null). Spellings that differ only in case or spacing are one artist.
with totals as (
    select
        period,
        year,
        artist_key,
        arg_max(artist_name, ended_at_ms) as artist_name,
        count(*) filter (where counted) as listens,
        round(coalesce(sum(ms_played), 0) / 60000, 1) as minutes
    from {{ ref('int_period_listens') }}
    where kind = 'track' and artist_key is not null
    group by period, year, artist_key
)

select
    period,
    year,
    artist_name,
    listens,
    minutes,
    rank() over (partition by period order by listens desc, minutes desc) as rank_by_listens,
    rank() over (partition by period order by minutes desc, listens desc) as rank_by_minutes
from totals
