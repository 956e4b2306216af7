{{ config(materialized='parquet') }}

-- Every window in which live capture may have lost plays, and whether an imported export has
-- closed it since.
with gaps as (
    select * from {{ ref('gaps') }}
),

closures as (
    select
        gap_id,
        min(closed_at) as closed_at,
        arg_min(file, closed_at) as closed_by_file,
        max(listens) as export_listens
    from {{ ref('gap_closures') }}
    group by gap_id
)

select
    gaps.gap_id,
    gaps.from_at,
    gaps.to_at,
    gaps.from_ms,
    gaps.to_ms,
    round((gaps.to_ms - gaps.from_ms) / 60000, 1) as minutes,
    gaps.detected_at,
    closures.gap_id is not null as closed,
    closures.closed_at,
    closures.closed_by_file,
    closures.export_listens
from gaps
left join closures on closures.gap_id = gaps.gap_id
