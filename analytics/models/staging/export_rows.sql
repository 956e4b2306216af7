{{ config(materialized='parquet') }}

-- The privacy exports' rows (exports/). Two imports of overlapping exports land the same rows in
-- different objects: a row's identity is its row_id.
with source as materialized (
    select * from {{ source('exports') }}
),

-- ranking every row by row_id groups a million wide rows; only the repeated ids need it
repeated_ids as (
    select row_id
    from source
    group by row_id
    having count(*) > 1
),

deduplicated as (
    select source.*
    from source
    anti join repeated_ids on repeated_ids.row_id = source.row_id
    union all
    select *
    from (
        select source.*
        from source
        semi join repeated_ids on repeated_ids.row_id = source.row_id
    )
    qualify row_number() over (partition by row_id order by source_file) = 1
)

select
    row_id,
    source,
    ended_at,
    ended_at_ms,
    ended_at_precision,
    ms_played,
    kind,
    track_uri,
    track_name,
    artist_name,
    album_name,
    episode_uri,
    episode_name,
    show_name,
    audiobook_uri,
    audiobook_title,
    audiobook_chapter_uri,
    audiobook_chapter_title,
    reason_start,
    reason_end,
    skipped,
    shuffle,
    offline,
    offline_at,
    incognito,
    platform,
    conn_country,
    source_file
from deduplicated
