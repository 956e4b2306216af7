{{ config(materialized='parquet') }}

-- Tracks ranked by counted listens and by minutes, per local year and over all time. A track is
-- its artist and title: a single, an album version and a remaster of one recording count as one.
-- Totals per year first; all time adds the years up (a track's latest spelling is its latest year's).
with per_year as (
    select
        local_year as year,
        artist_key,
        track_key,
        arg_max(track_name, ended_at_ms) as track_name,
        arg_max(artist_name, ended_at_ms) as artist_name,
        arg_max(track_uri, ended_at_ms) as track_uri,
        count(*) filter (where counted) as listens,
        coalesce(sum(ms_played), 0) as ms_played
    from {{ ref('int_local_listens') }}
    where kind = 'track' and artist_key is not null and track_key is not null
    group by local_year, artist_key, track_key
),

totals as (
    select
        year::varchar as period,
        year,
        track_name,
        artist_name,
        track_uri,
        listens,
        round(ms_played / 60000, 1) as minutes
    from per_year
    union all
    select
        'all',
        null::bigint,
        arg_max(track_name, year),
        arg_max(artist_name, year),
        arg_max(track_uri, year),
        sum(listens)::bigint,
        round(sum(ms_played) / 60000, 1)
    from per_year
    group by artist_key, track_key
)

select
    period,
    year,
    track_name,
    artist_name,
    track_uri,
    listens,
    minutes,
    rank() over (partition by period order by listens desc, minutes desc) as rank_by_listens,
    rank() over (partition by period order by minutes desc, listens desc) as rank_by_minutes
from totals
