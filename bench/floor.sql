-- The floor: DuckDB alone reads the sample CSVs and computes the same marts as ggzy (trading
-- volume, savings and premium, e-bidding, deposit month-end stocks, guarantee substitution) in
-- one hand-written script, in memory, with no validation, history or publishing.
-- {data} and {seeds} are filled in by bench/run.py.

create temp table regions as
select * from read_csv('{seeds}/regions.csv', all_varchar = true);

create temp table categories as
select * from read_csv('{seeds}/trade_categories.csv', all_varchar = true);

create temp table workdays as
select
    calendar_date,
    is_workday,
    sum(is_workday::integer) over (order by calendar_date) as workday_number
from read_csv('{seeds}/cn_workdays.csv');

create temp table deals as
select
    d.招标项目编号 as tender_project_code,
    d."标段（包）编号" as bid_section_code,
    d.行政区域代码 as region_code,
    r.prefecture_code,
    r.province_code,
    d.交易类别 as trade_category,
    c.price_kind,
    (d.预算金额::decimal(18, 6) * if(d.金额单位 = '万元', 10000, 1))::decimal(18, 2) as budget_amount,
    (d.成交金额::decimal(18, 6) * if(d.金额单位 = '万元', 10000, 1))::decimal(18, 2) as deal_amount,
    d.交易状态 as deal_status,
    d.成交日期::date as deal_date,
    d.合同签订日期::date as contract_sign_date,
    d.中标人代码 as winner_code,
    d.是否电子化交易 = '是' as is_electronic,
    d.是否远程异地评标 = '是' as is_remote_evaluation,
    date_trunc('month', d.成交日期::date)::date as month
from read_csv('{data}/deals_????-??.csv', header = true, all_varchar = true) as d
join regions as r on r.region_code = d.行政区域代码
join categories as c on c.code = d.交易类别;

create temp table securities as
select
    s.保证金编号 as security_id,
    s.招标项目编号 as tender_project_code,
    s."标段（包）编号" as bid_section_code,
    s.投标人代码 as bidder_code,
    s.担保类型 as security_kind,
    s.递交方式 as pay_form,
    s.金额::decimal(18, 2) as amount,
    s.递交时间::date as received_date,
    coalesce(s.担保费用::decimal(18, 2), 0) as guarantee_fee
from read_csv('{data}/securities_????-??.csv', header = true, all_varchar = true) as s;

create temp table refunds as
select 保证金编号 as security_id, 处理方式 as refund_type, 退还日期::date as settle_date, 退还金额::decimal(18, 2) as refund_amount
from read_csv('{data}/refunds_????-??.csv', header = true, all_varchar = true);

create temp table mart_trading_volume as
select month, region_code, trade_category, count(*) as n_sections,
       count(*) filter (where deal_status = 'concluded') as n_concluded,
       sum(deal_amount) filter (where deal_status = 'concluded') as deal_amount
from deals group by all;

create temp table mart_savings as
select month, region_code, trade_category, count(*) as n_priced,
       sum(budget_amount) as budget_amount_priced,
       sum(budget_amount - deal_amount) filter (where price_kind = 'procurement') as savings_amount,
       sum(deal_amount - budget_amount) filter (where price_kind = 'auction') as premium_amount
from deals
where deal_status = 'concluded' and budget_amount > 0 and deal_amount > 0 and price_kind <> 'none'
group by all;

create temp table mart_e_bidding as
select month, region_code, trade_category, count(*) as n_concluded,
       count(*) filter (where is_electronic) as n_electronic,
       count(*) filter (where is_remote_evaluation) as n_remote_evaluation
from deals where deal_status = 'concluded' group by all;

create temp table mart_guarantee_substitution as
select date_trunc('month', s.received_date)::date as month, d.region_code, d.trade_category,
       s.security_kind, count(*) as n_securities, sum(s.amount) as amount_total,
       sum(s.amount) filter (where s.pay_form <> 'cash') as amount_guarantee,
       sum(s.guarantee_fee) as guarantee_fee
from securities as s
join deals as d using (tender_project_code, bid_section_code)
group by all;

-- deposit due dates: the rules of docs/metrics.md, written out by hand
create temp table due_dates as
with anchored as (
    select tender_project_code, bid_section_code, trade_category, deal_status, deal_date,
           coalesce(contract_sign_date, deal_date + 30) as contract_date
    from deals
),
plus_5_workdays as (
    select a.*, w2.calendar_date as deal_plus_5, c2.calendar_date as contract_plus_5
    from anchored as a
    join workdays as w1 on w1.calendar_date = a.deal_date
    join workdays as w2 on w2.workday_number = w1.workday_number + 5 and w2.is_workday
    join workdays as c1 on c1.calendar_date = a.contract_date
    join workdays as c2 on c2.workday_number = c1.workday_number + 5 and c2.is_workday
)
select tender_project_code, bid_section_code,
       case when deal_status <> 'concluded' then deal_plus_5
            when trade_category = 'engineering' then contract_date + 5
            when trade_category = 'government_procurement' then contract_plus_5
            when trade_category in ('land', 'mining_rights', 'state_property') then null
            else deal_plus_5 end as winner_due_date,
       case when deal_status <> 'concluded' then deal_plus_5
            when trade_category = 'engineering' then contract_date + 5
            else deal_plus_5 end as other_due_date
from plus_5_workdays;

create temp table deposits as
with settled as (
    select r.security_id, sum(r.refund_amount) as settled_amount, max(r.settle_date) as settled_date
    from refunds as r group by all
)
select s.security_id, d.month, d.region_code, d.trade_category, s.amount, s.received_date,
       case when d.deal_status <> 'concluded' then u.other_due_date
            when d.winner_code is null then greatest(u.winner_due_date, u.other_due_date)
            when s.bidder_code = d.winner_code then u.winner_due_date
            else u.other_due_date end as due_date,
       if(t.settled_amount >= s.amount, t.settled_date, null) as settled_date
from securities as s
join deals as d using (tender_project_code, bid_section_code)
join due_dates as u using (tender_project_code, bid_section_code)
left join settled as t using (security_id)
where s.pay_form = 'cash' and s.security_kind = 'bid';

create temp table mart_deposit_stocks as
with starts as (
    select security_id, region_code, trade_category, amount, settled_date, 'outstanding' as stock,
           received_date as start_date from deposits
    union all
    select security_id, region_code, trade_category, amount, settled_date, 'overdue', due_date + 1
    from deposits where due_date is not null
    union all
    select security_id, region_code, trade_category, amount, settled_date, 'sediment', due_date + 366
    from deposits where due_date is not null
),
events as (
    select region_code, trade_category, stock, start_date as event_date, 1 as n, amount from starts
    union all
    select region_code, trade_category, stock, greatest(settled_date, start_date), -1, 0
    from starts where settled_date is not null
    union all
    select s.region_code, s.trade_category, s.stock, greatest(r.settle_date, s.start_date), 0, -r.refund_amount
    from starts as s join refunds as r using (security_id)
),
monthly as (
    select date_trunc('month', event_date)::date as month, region_code, trade_category, stock,
           sum(n) as n, sum(amount) as amount
    from events where event_date <= current_date group by all
),
first_months as (
    select region_code, trade_category, stock, min(month) as first_month from monthly group by all
),
spine as (
    select region_code, trade_category, stock,
           unnest(generate_series(first_month, date_trunc('month', current_date)::date, interval 1 month))::date
               as month
    from first_months
)
select spine.month, spine.region_code, spine.trade_category, spine.stock,
       sum(coalesce(monthly.n, 0)) over w as n, sum(coalesce(monthly.amount, 0)) over w as amount
from spine left join monthly using (month, region_code, trade_category, stock)
window w as (partition by spine.region_code, spine.trade_category, spine.stock order by spine.month);

select
    (select count(*) from mart_trading_volume) as trading_volume_rows,
    (select count(*) from mart_savings) as savings_rows,
    (select count(*) from mart_e_bidding) as e_bidding_rows,
    (select count(*) from mart_guarantee_substitution) as substitution_rows,
    (select count(*) from mart_deposit_stocks) as deposit_stock_rows,
    (select sum(deal_amount) from mart_trading_volume)::varchar as deal_amount;
