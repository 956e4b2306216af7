{{ config(materialized='parquet') }}

-- Albums ranked by counted listens and by minutes, per local year and over all time.
-- Totals per year first; all time adds the years up (an album's latest spelling is its latest year's).
with per_year as (
    select
        local_year as year,
        artist_key,
        album_key,
        arg_max(album_name, ended_at_ms) as album_name,
        arg_max(artist_name, ended_at_ms) as artist_name,
        count(*) filter (where counted) as listens,
        coalesce(sum(ms_played), 0) as ms_played
    from {{ ref('int_local_listens') }}
    where kind = 'track' and album_key is not null
    group by local_year, artist_key, album_key
),

totals as (
    select
        year::varchar as period,
        year,
        album_name,
        artist_name,
        listens,
        round(ms_played / 60000, 1) as minutes
    from per_year
    union all
    select
        'all',
        null::bigint,
        arg_max(album_name, year),
        arg_max(artist_name, year),
        sum(listens)::bigint,
        round(sum(ms_played) / 60000, 1)
    from per_year
    group by artist_key, album_key
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
