-- Every export row is a listen of its own or part of a listen that outranks it: none is lost.
with export_rows as (
    select row_id from {{ ref('export_rows') }}
),

listens as (
    select listen_id from {{ ref('listens') }}
),

links as (
    select export_row_id, target, play_key, extended_row_id from {{ ref('links') }}
)

select export_rows.row_id
from export_rows
where export_rows.row_id not in (select listen_id from listens)
    and not exists (
        select 1
        from links
        where links.export_row_id = export_rows.row_id
            and (
                (links.target = 'play' and links.play_key in (select listen_id from listens))
                or (links.target = 'extended' and links.extended_row_id in (select row_id from export_rows))
            )
    )
