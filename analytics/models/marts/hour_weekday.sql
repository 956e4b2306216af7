{{ config(materialized='parquet') }}

-- When you listen: counted listens and minutes per local hour and ISO weekday (1 = Monday),
-- per local year and over all time, every one of the 168 cells present.
-- read more than once below: not materialized, so each read scans only the columns it needs
with listens as not materialized (
    select
        local_year,
        local_weekday,
        local_hour,
        counted,
        ms_played
    from {{ ref('int_local_listens') }}
),

periods as (
    select 'all' as period, null::integer as year
    union all
    select distinct local_year::varchar, local_year from listens
),

grid as (
    select
        periods.period,
        periods.year,
        weekdays.weekday,
        hours.hour
    from periods
    cross join range(1, 8) as weekdays(weekday)
    cross join range(0, 24) as hours(hour)
),

cells as (
    select
        'all' as period,
        local_weekday as weekday,
        local_hour as hour,
        count(*) filter (where counted) as listens,
        coalesce(sum(ms_played), 0) as ms_played
    from listens
    group by local_weekday, local_hour
    union all
    select
        local_year::varchar,
        local_weekday,
        local_hour,
        count(*) filter (where counted),
        coalesce(sum(ms_played), 0)
    from listens
    group by local_year, local_weekday, local_hour
)

select
    grid.period,
    grid.year,
    grid.weekday::integer as weekday,
    grid.hour::integer as hour,
    coalesce(cells.listens, 0) as listens,
    round(coalesce(cells.ms_played, 0) / 60000, 1) as minutes
from grid
left join cells
    on cells.period = grid.period and cells.weekday = grid.weekday and cells.hour = grid.hour
