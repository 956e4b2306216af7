{{ config(materialized='parquet') }}

-- Albums ranked by counted listens and by minutes, per local year and over all time.
with totals as (
    select
        period,
        year,
        artist_key,
        album_key,
        arg_max(album_name, ended_at_ms) as album_name,
        arg_max(artist_name, ended_at_ms) as artist_name,
        count(*) filter (where counted) as listens,
        round(coalesce(sum(ms_played), 0) / 60000, 1) as minutes
    from {{ ref('int_period_listens') }}
    where kind = 'track' and album_key is not null
    group by period, year, artist_key, album_key
)

select
    period,
    year,
    album_name,
    artist_name,
    listens,
    minutes,
    rank() over (partition by period order by listens desc, minutes desc) as rank_by_listens,
    rank() over (partition by period order by minutes desc, listens desc) as rank_by_minutes
from totals
