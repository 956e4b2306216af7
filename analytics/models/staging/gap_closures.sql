-- Gaps an imported export has filled (state/gap-closures/).
with source as (
    select * from {{ source('gap_closures') }}
),

closures as (
    select
        epoch_ms(gap."from"::timestamptz) as gap_from_ms,
        epoch_ms(gap."to"::timestamptz) as gap_to_ms,
        file,
        sha256,
        listens,
        closed_at::timestamptz as closed_at
    from source
)

select
    gap_from_ms::varchar || '-' || gap_to_ms::varchar as gap_id,
    gap_from_ms,
    gap_to_ms,
    file,
    sha256,
    listens,
    closed_at
from closures
qualify row_number() over (partition by gap_from_ms, gap_to_ms, sha256 order by closed_at) = 1
