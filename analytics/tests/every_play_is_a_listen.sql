-- Every live play is exactly one listen.
select plays.play_key
from {{ ref('plays') }} as plays
left join {{ ref('listens') }} as listens on listens.listen_id = plays.play_key
where listens.listen_id is null
