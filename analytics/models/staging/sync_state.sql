-- Live capture's reach (state/sync.json): since when it watched, and how far it got. No row before the first sync.
with source as (
    select * from {{ source('sync_state') }}
)

select
    watching_since::timestamptz as watching_since,
    cursor::timestamptz as cursor_at,
    epoch_ms(watching_since::timestamptz) as watching_since_ms,
    epoch_ms(cursor::timestamptz) as cursor_ms
from source
where watching_since is not null
