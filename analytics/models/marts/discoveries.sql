{{ config(materialized='parquet') }}

-- The first counted listen of every artist and every track. Without an extended export (your
-- lifetime history) a "first" listen only means the first captured: censored says so.
-- read more than once below: not materialized, so each read scans only the columns it needs
with listens as not materialized (
    select
        artist_key,
        track_key,
        artist_name,
        track_name,
        ended_at,
        ended_at_ms,
        local_date,
        local_year
    from {{ ref('int_local_listens') }}
    where kind = 'track' and counted and artist_key is not null
),

censoring as (
    select count(*) = 0 as censored
    from {{ ref('export_rows') }}
    where source = 'extended'
),

artist_listens as (
    select
        'artist' as discovery,
        artist_key as discovery_key,
        artist_name,
        null::varchar as track_name,
        ended_at,
        ended_at_ms,
        local_date,
        local_year
    from listens
),

track_listens as (
    select
        'track',
        artist_key || chr(31) || track_key,
        artist_name,
        track_name,
        ended_at,
        ended_at_ms,
        local_date,
        local_year
    from listens
    where track_key is not null
),

both_kinds as (
    select * from artist_listens
    union all
    select * from track_listens
),

-- one row per key and year first: a few thousand rows to find each key's first year in
per_year as (
    select
        discovery,
        discovery_key,
        local_year,
        arg_min(artist_name, ended_at_ms) as artist_name,
        arg_min(track_name, ended_at_ms) as track_name,
        min(ended_at) as first_listen_at,
        min(local_date) as first_local_date,
        count(*) as listens
    from both_kinds
    group by discovery, discovery_key, local_year
),

firsts as (
    select
        discovery,
        discovery_key,
        arg_min(artist_name, local_year) as artist_name,
        arg_min(track_name, local_year) as track_name,
        min(first_listen_at) as first_listen_at,
        min(first_local_date) as first_local_date,
        min(local_year) as first_year,
        sum(listens)::bigint as listens,
        arg_min(listens, local_year) as listens_first_year
    from per_year
    group by discovery, discovery_key
)

select
    discovery || ':' || discovery_key as discovery_id,
    discovery,
    artist_name,
    track_name,
    first_listen_at,
    first_local_date,
    first_year,
    listens,
    listens_first_year,
    censoring.censored
from firsts
cross join censoring
