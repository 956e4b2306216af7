{{ config(materialized='parquet') }}

-- One row per local calendar day from the first listen to the last, days without any included.
-- read more than once below: not materialized, so each read scans only the columns it needs
with listens as not materialized (
    select
        local_date,
        kind,
        counted,
        ms_played,
        artist_key,
        track_key
    from {{ ref('int_local_listens') }}
),

bounds as (
    select
        min(local_date) as first_day,
        max(local_date) as last_day
    from listens
),

calendar as (
    select unnest(generate_series(first_day, last_day, interval 1 day))::date as local_date
    from bounds
    where first_day is not null
),

per_day as (
    select
        local_date,
        count(*) filter (where counted) as listens,
        count(*) as all_listens,
        coalesce(sum(ms_played), 0) as ms_played,
        count(distinct artist_key) filter (where counted and kind = 'track') as artists,
        count(distinct (artist_key, track_key)) filter (where counted and kind = 'track') as tracks
    from listens
    group by local_date
)

select
    calendar.local_date,
    year(calendar.local_date) as local_year,
    month(calendar.local_date) as local_month,
    isodow(calendar.local_date) as local_weekday,
    coalesce(per_day.listens, 0) as listens,
    coalesce(per_day.all_listens, 0) as all_listens,
    round(coalesce(per_day.ms_played, 0) / 60000, 1) as minutes,
    coalesce(per_day.artists, 0) as artists,
    coalesce(per_day.tracks, 0) as tracks,
    coalesce(per_day.listens, 0) > 0 as active
from calendar
left join per_day on per_day.local_date = calendar.local_date
