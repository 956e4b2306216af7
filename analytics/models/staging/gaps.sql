-- The gap ledger (state/gaps/): windows in which live capture may have lost plays.
with source as (
    select * from {{ source('gaps') }}
)

select distinct
    from_ms::varchar || '-' || to_ms::varchar as gap_id,
    to_timestamp(from_ms / 1000) as from_at,
    to_timestamp(to_ms / 1000) as to_at,
    from_ms,
    to_ms,
    detected_at::timestamptz as detected_at
from source
