-- Live capture's reach (state/sync.json): since when it watched, and how far it got. No row before the first sync.
with source as (
    select * from {{ source('sync_state') }}
)

select
    to_timestamp(watching_since_ms / 1000) as watching_since,
    to_timestamp(cursor_ms / 1000) as cursor_at,
    watching_since_ms,
    cursor_ms
from source
where watching_since_ms is not null
