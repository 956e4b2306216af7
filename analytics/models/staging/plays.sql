{{ config(materialized='parquet') }}

-- Live capture (plays/), one row per play. A play's identity is the sync's own (the same track
-- ending in the same second): the sync never writes a play twice, and this holds even for a lake
-- assembled by hand. play_key is spelled as the import's links spell it.
with source as (
    select * from {{ source('plays') }}
),

deduplicated as (
    select *
    from source
    qualify row_number() over (partition by played_at_ms // 1000, track_uri order by played_at_ms, track_name) = 1
)

select
    (played_at_ms // 1000)::varchar || '|' || track_uri as play_key,
    played_at,
    played_at_ms,
    track_id,
    track_uri,
    track_name,
    duration_ms,
    artist_ids,
    artist_names,
    artist_names[1] as artist_name,
    album_id,
    album_name,
    context_type,
    context_uri,
    is_local
from deduplicated
