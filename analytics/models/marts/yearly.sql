{{ config(materialized='parquet') }}

-- A year in review, one row per local year: how much, how many, the favourites and the records.
with daily as (
    select local_year, local_date, listens, minutes, active from {{ ref('daily') }}
),

days as (
    select
        local_year,
        sum(listens)::bigint as listens,
        round(sum(minutes), 1) as minutes,
        count(*) filter (where active) as active_days,
        arg_max(local_date, minutes) as busiest_day,
        max(minutes) as busiest_day_minutes
    from daily
    group by local_year
),

tracks as (
    select
        local_year,
        count(distinct artist_key) filter (where counted and kind = 'track') as artists,
        count(distinct (artist_key, track_key)) filter (where counted and kind = 'track') as tracks
    from {{ ref('int_local_listens') }}
    group by local_year
),

favourite_artists as (
    select year as local_year, min(artist_name) as top_artist
    from {{ ref('top_artists') }}
    where year is not null and rank_by_listens = 1
    group by year
),

favourite_tracks as (
    select year as local_year, arg_min(track_name || ' - ' || artist_name, track_name) as top_track
    from {{ ref('top_tracks') }}
    where year is not null and rank_by_listens = 1
    group by year
),

new_artists as (
    select first_year as local_year, count(*) as new_artists
    from {{ ref('discoveries') }}
    where discovery = 'artist'
    group by first_year
),

streaks as (
    select local_year, max(days) as longest_streak_days
    from {{ ref('streaks') }}
    where kind = 'streak'
    group by local_year
),

sessions as (
    select local_year, max(minutes_long) as longest_session_minutes, count(*) as sessions
    from {{ ref('sessions') }}
    group by local_year
)

select
    days.local_year,
    days.listens,
    days.minutes,
    round(days.minutes / 60, 1) as hours,
    days.active_days,
    coalesce(tracks.artists, 0) as artists,
    coalesce(tracks.tracks, 0) as tracks,
    coalesce(new_artists.new_artists, 0) as new_artists,
    favourite_artists.top_artist,
    favourite_tracks.top_track,
    days.busiest_day,
    days.busiest_day_minutes,
    coalesce(streaks.longest_streak_days, 0) as longest_streak_days,
    coalesce(sessions.sessions, 0) as sessions,
    coalesce(sessions.longest_session_minutes, 0) as longest_session_minutes
from days
left join tracks on tracks.local_year = days.local_year
left join favourite_artists on favourite_artists.local_year = days.local_year
left join favourite_tracks on favourite_tracks.local_year = days.local_year
left join new_artists on new_artists.local_year = days.local_year
left join streaks on streaks.local_year = days.local_year
left join sessions on sessions.local_year = days.local_year
