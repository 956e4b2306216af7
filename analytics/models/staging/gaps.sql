-- The gap ledger (state/gaps/): windows in which live capture may have lost plays.
with source as (
    select * from {{ source('gaps') }}
),

windows as (
    select
        "from"::timestamptz as from_at,
        "to"::timestamptz as to_at,
        detected_at::timestamptz as detected_at
    from source
)

select distinct
    epoch_ms(from_at)::varchar || '-' || epoch_ms(to_at)::varchar as gap_id,
    from_at,
    to_at,
    epoch_ms(from_at) as from_ms,
    epoch_ms(to_at) as to_ms,
    detected_at
from windows
