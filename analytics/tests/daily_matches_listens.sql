-- The daily totals add up to the listens they come from.
select
    (select count(*) filter (where counted) from {{ ref('listens') }}) as counted_listens,
    (select coalesce(sum(listens), 0) from {{ ref('daily') }}) as daily_listens
where counted_listens <> daily_listens
