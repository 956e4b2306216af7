{{ config(materialized='parquet') }}

-- The import's reconciliation (links/): one link per export row and target kind, the nearest
-- when two imports linked the same row.
with source as (
    select * from {{ source('links') }}
)

select
    export_row_id,
    export_source,
    target,
    play_key,
    extended_row_id,
    method,
    delta_ms,
    at_ms,
    linked_by
from source
qualify row_number() over (
    partition by export_row_id, target
    order by abs(delta_ms), linked_by, play_key, extended_row_id
) = 1
