-- Every export row is a listen of its own or part of a listen that outranks it: none is lost.
with export_rows as (
    select row_id from {{ ref('export_rows') }}
),

listens as (
    select listen_id from {{ ref('listens') }}
),

links as (
    select export_row_id, target, play_key, extended_row_id from {{ ref('links') }}
),

absorbed as (
    select links.export_row_id
    from links
    inner join listens on listens.listen_id = links.play_key
    where links.target = 'play'
    union
    select links.export_row_id
    from links
    inner join export_rows on export_rows.row_id = links.extended_row_id
    where links.target = 'extended'
)

select export_rows.row_id
from export_rows
anti join listens on listens.listen_id = export_rows.row_id
anti join absorbed on absorbed.export_row_id = export_rows.row_id
