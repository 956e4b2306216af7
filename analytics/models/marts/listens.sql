{{ config(materialized='parquet', partition_by='year') }}

-- The whole history, one row per listen: every live play, plus every export row that is not the
-- same listen as something that outranks it (a live play, or for an account row an extended one).
-- read more than once below: not materialized, so each read scans only the columns it needs
with plays as not materialized (
    select * from {{ ref('plays') }}
),

export_rows as not materialized (
    select * from {{ ref('export_rows') }}
),

links as not materialized (
    select * from {{ ref('links') }}
),

-- a link absorbs its export row only when the row it points at is in the lake
play_links as (
    select
        links.export_row_id,
        links.export_source,
        links.play_key,
        links.delta_ms
    from links
    inner join plays on plays.play_key = links.play_key
    inner join export_rows on export_rows.row_id = links.export_row_id
    where links.target = 'play'
),

extended_links as (
    select links.export_row_id
    from links
    inner join export_rows as extended
        on extended.row_id = links.extended_row_id and extended.source = 'extended'
    inner join export_rows as account on account.row_id = links.export_row_id
    where links.target = 'extended'
),

-- the export row that says most about a play: an extended one first, then the nearest
play_exports as (
    select
        play_key,
        export_row_id
    from play_links
    qualify row_number() over (
        partition by play_key
        order by export_source = 'extended' desc, abs(delta_ms), export_row_id
    ) = 1
),

absorbed as (
    select export_row_id from play_links
    union
    select export_row_id from extended_links
),

from_plays as (
    select
        plays.play_key as listen_id,
        coalesce(exported.kind, 'track') as kind,
        plays.played_at as ended_at,
        plays.played_at_ms as ended_at_ms,
        plays.track_uri,
        plays.track_name,
        plays.artist_name,
        plays.album_name,
        null::varchar as episode_uri,
        null::varchar as episode_name,
        null::varchar as show_name,
        coalesce(exported.ms_played, plays.duration_ms) as ms_played,
        exported.ms_played is null as ms_played_estimated,
        plays.duration_ms,
        true as in_api,
        exported.row_id is not null as in_export,
        exported.source as export_source,
        exported.skipped,
        exported.reason_end,
        coalesce(exported.incognito, false) as incognito,
        exported.platform
    from plays
    left join play_exports on play_exports.play_key = plays.play_key
    left join export_rows as exported on exported.row_id = play_exports.export_row_id
),

from_exports as (
    select
        export_rows.row_id as listen_id,
        export_rows.kind,
        export_rows.ended_at,
        export_rows.ended_at_ms,
        export_rows.track_uri,
        export_rows.track_name,
        export_rows.artist_name,
        export_rows.album_name,
        export_rows.episode_uri,
        export_rows.episode_name,
        export_rows.show_name,
        export_rows.ms_played,
        false as ms_played_estimated,
        null::bigint as duration_ms,
        false as in_api,
        true as in_export,
        export_rows.source as export_source,
        export_rows.skipped,
        export_rows.reason_end,
        export_rows.incognito,
        export_rows.platform
    from export_rows
    anti join absorbed on absorbed.export_row_id = export_rows.row_id
),

unioned as (
    select * from from_plays
    union all
    select * from from_exports
)

select
    listen_id,
    kind,
    ended_at,
    ended_at_ms,
    to_timestamp((ended_at_ms - coalesce(ms_played, 0)) / 1000) as started_at,
    track_uri,
    track_name,
    artist_name,
    album_name,
    episode_uri,
    episode_name,
    show_name,
    ms_played,
    ms_played_estimated,
    duration_ms,
    in_api,
    in_export,
    export_source,
    -- Spotify's own skip flag is false for every row from 2015-04 to 2022-10; how a row ended tells more
    case
        when skipped is null and reason_end is null then null
        else coalesce(skipped, false) or coalesce(reason_end in ('fwdbtn', 'backbtn', 'endplay', 'unknown'), false)
    end as skipped,
    incognito,
    platform,
    -- the play-counting rule, here and nowhere else: Spotify counts a stream from 30 seconds on
    coalesce(ms_played >= {{ var('counted_min_ms') }}, false) as counted,
    -- from the epoch milliseconds, not through a time zone: the same year, without ICU for every row
    year(epoch_ms(ended_at_ms)) as year
from unioned
