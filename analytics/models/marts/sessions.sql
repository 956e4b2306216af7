{{ config(materialized='parquet') }}

-- Listening sessions: a new one starts when more than session_gap_minutes pass between the end
-- of every listen so far and the start of the next. A session belongs to the day it started on,
-- its first instant in local time (converted once per session rather than once per listen).
-- Listens that start and end together fall in one session whichever comes first: no tie-breaker
-- (a text one would slow both sorts) is needed for the sessions to be the same on every run.
with listens as (
    select
        listen_id,
        started_at,
        ended_at,
        started_at_ms,
        ended_at_ms,
        ms_played,
        counted,
        artist_key
    from {{ ref('int_local_listens') }}
),

with_previous_end as (
    select
        *,
        max(ended_at_ms) over (
            order by started_at_ms, ended_at_ms
            rows between unbounded preceding and 1 preceding
        ) as previous_end_ms
    from listens
),

numbered as (
    select
        *,
        sum(
            case
                when previous_end_ms is null
                    or started_at_ms - previous_end_ms > {{ var('session_gap_minutes') }} * 60000 then 1
                else 0
            end
        ) over (order by started_at_ms, ended_at_ms rows unbounded preceding) as session_id
    from with_previous_end
)

select
    session_id::bigint as session_id,
    min(started_at) as started_at,
    max(ended_at) as ended_at,
    (min(started_at) at time zone {{ var('tz') }})::date as local_date,
    year(min(started_at) at time zone {{ var('tz') }}) as local_year,
    hour(min(started_at) at time zone {{ var('tz') }}) as local_hour,
    count(*) as listens,
    count(*) filter (where counted) as counted_listens,
    round(coalesce(sum(ms_played), 0) / 60000, 1) as minutes_listened,
    round((max(ended_at_ms) - min(started_at_ms)) / 60000, 1) as minutes_long,
    count(distinct artist_key) as artists
from numbered
group by numbered.session_id
