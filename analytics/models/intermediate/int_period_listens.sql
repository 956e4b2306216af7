{{ config(materialized='view') }}

-- Every listen twice: once for its local year (period 'YYYY') and once for all time (period
-- 'all', year null), so that the rankings group by period alone. A view: copying every listen
-- twice into a table costs more than the four rankings reading it.
-- read more than once below: not materialized, so each read scans only the columns it needs
with listens as not materialized (
    select
        local_year,
        kind,
        artist_key,
        track_key,
        album_key,
        lower(trim(show_name)) as show_key,
        artist_name,
        track_name,
        album_name,
        track_uri,
        show_name,
        episode_name,
        ended_at_ms,
        counted,
        ms_played
    from {{ ref('int_local_listens') }}
)

select 'all' as period, null::bigint as year, * exclude (local_year) from listens
union all
select local_year::varchar as period, local_year as year, * exclude (local_year) from listens
