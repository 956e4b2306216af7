{{ config(materialized='table') }}

-- Every listen in the user's time zone (the tz variable): the wall-clock time it ended, its
-- calendar day, hour and ISO weekday, daylight saving included.
with listens as (
    select * from {{ ref('listens') }}
),

localised as (
    select
        listen_id,
        kind,
        ended_at,
        ended_at_ms,
        started_at,
        ended_at_ms - coalesce(ms_played, 0) as started_at_ms,
        ended_at at time zone {{ var('tz') }} as ended_local,
        track_uri,
        track_name,
        artist_name,
        album_name,
        episode_name,
        show_name,
        -- lower(trim(name)), trimming only the names that need it: trim() on every name was a
        -- third of this model's time
        lower(case when artist_name like ' %' or artist_name like '% ' then trim(artist_name) else artist_name end) as artist_key,
        lower(case when track_name like ' %' or track_name like '% ' then trim(track_name) else track_name end) as track_key,
        lower(case when album_name like ' %' or album_name like '% ' then trim(album_name) else album_name end) as album_key,
        ms_played,
        counted,
        skipped,
        in_api,
        in_export,
        export_source
    from listens
)

select
    *,
    ended_local::date as local_date,
    year(ended_local) as local_year,
    hour(ended_local) as local_hour,
    isodow(ended_local) as local_weekday
from localised
