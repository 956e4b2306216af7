-- Sessions hold every listen once.
select
    (select count(*) from {{ ref('listens') }}) as listens,
    (select coalesce(sum(listens), 0) from {{ ref('sessions') }}) as in_sessions
where listens <> in_sessions
