-- Gaps an imported export has filled (state/gap-closures/).
with source as (
    select * from {{ source('gap_closures') }}
)

select
    gap.from_ms::varchar || '-' || gap.to_ms::varchar as gap_id,
    gap.from_ms as gap_from_ms,
    gap.to_ms as gap_to_ms,
    file,
    sha256,
    listens,
    closed_at::timestamptz as closed_at
from source
qualify row_number() over (partition by gap.from_ms, gap.to_ms, sha256 order by closed_at) = 1
