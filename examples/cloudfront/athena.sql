-- clicktrail CloudFront aggregation in Athena (Trino). Two halves:
--   1. tables over what `clicktrail logs` writes (CSV or NDJSON), to query the daily aggregates;
--   2. the same aggregation done in SQL straight over the CloudFront access logs, for checking
--      clicktrail's numbers (approx_distinct is also a HyperLogLog, ~2.3 % standard error).
-- Replace the bucket names. Counting rules are in cpp/include/clicktrail/aggregate.hpp.

-- 1a. CSV output: `clicktrail logs ... --daily --format csv > part-0001.csv`
CREATE EXTERNAL TABLE IF NOT EXISTS clicktrail_performance_csv (
  date_start            string,
  date_end              string,
  order_id              string,
  campaign_id           string,
  publication_id        string,
  channel               string,
  creative              string,
  size                  string,
  item_path             string,
  impressions           bigint,
  clicks                bigint,
  unique_clicks         bigint,
  reach                 bigint,
  ctr                   double,
  machine_impressions   bigint,
  machine_clicks        bigint,
  machine_unique_clicks bigint,
  machine_reach         bigint,
  source                string
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '"')
LOCATION 's3://YOUR-BUCKET/clicktrail/performance-csv/'
TBLPROPERTIES ('skip.header.line.count' = '1');
-- OpenCSVSerde reads every column as text whatever the DDL says; cast in queries if needed,
-- or use the NDJSON table below, which keeps the types.

-- 1b. NDJSON output: `clicktrail logs ... --daily --format ndjson` (performance_entries records)
CREATE EXTERNAL TABLE IF NOT EXISTS clicktrail_performance (
  orderId       string,
  campaignId    string,
  publicationId string,
  channel       string,
  itemPath      string,
  creative      string,
  size          string,
  dateStart     string,
  dateEnd       string,
  metrics       struct<impressions: bigint, clicks: bigint, ctr: double, reach: bigint,
                       uniqueClicks: bigint>,
  machine       struct<impressions: bigint, clicks: bigint, reach: bigint, uniqueClicks: bigint>,
  source        string
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION 's3://YOUR-BUCKET/clicktrail/performance-ndjson/';

-- Daily clicks and CTR per campaign (unique counts of several days cannot be added: run
-- `clicktrail logs` without --daily, or merge partial aggregates, for multi-day reach).
SELECT dateStart, campaignId, sum(metrics.impressions) AS impressions,
       sum(metrics.clicks) AS clicks,
       CAST(sum(metrics.clicks) AS double) / nullif(sum(metrics.impressions), 0) AS ctr,
       sum(machine.clicks) AS machine_clicks
FROM clicktrail_performance
GROUP BY dateStart, campaignId
ORDER BY dateStart, campaignId;

-- 2. The CloudFront standard log table (AWS's documented DDL, 33 fields) ...
CREATE EXTERNAL TABLE IF NOT EXISTS cloudfront_logs (
  `date` date, time string, x_edge_location string, sc_bytes bigint, c_ip string,
  cs_method string, cs_host string, cs_uri_stem string, sc_status int, cs_referrer string,
  cs_user_agent string, cs_uri_query string, cs_cookie string, x_edge_result_type string,
  x_edge_request_id string, x_host_header string, cs_protocol string, cs_bytes bigint,
  time_taken float, x_forwarded_for string, ssl_protocol string, ssl_cipher string,
  x_edge_response_result_type string, cs_protocol_version string, fle_status string,
  fle_encrypted_fields int, c_port int, time_to_first_byte float,
  x_edge_detailed_result_type string, sc_content_type string, sc_content_len bigint,
  sc_range_start bigint, sc_range_end bigint
)
ROW FORMAT DELIMITED FIELDS TERMINATED BY '\t'
LOCATION 's3://YOUR-LOG-BUCKET/cloudfront/'
TBLPROPERTIES ('skip.header.line.count' = '2');

-- ... and clicktrail's aggregation over it. The machine rule here is the user-agent and HEAD
-- part only (scanner bursts need ordering per IP and message; clicktrail does that).
WITH hits AS (
  SELECT
    CAST("date" AS varchar) AS day,
    c_ip,
    cs_uri_stem LIKE '%/c' AS is_click,
    url_decode(url_decode(coalesce(url_extract_parameter('http://x/?' || cs_uri_query, 'oid'), ''))) AS oid,
    url_decode(url_decode(coalesce(url_extract_parameter('http://x/?' || cs_uri_query, 'cid'), ''))) AS cid,
    url_decode(url_decode(coalesce(url_extract_parameter('http://x/?' || cs_uri_query, 'pid'), ''))) AS pid,
    url_decode(url_decode(coalesce(url_extract_parameter('http://x/?' || cs_uri_query, 'ch'), ''))) AS ch,
    url_decode(url_decode(coalesce(url_extract_parameter('http://x/?' || cs_uri_query, 'cr'), ''))) AS cr,
    url_decode(url_decode(coalesce(url_extract_parameter('http://x/?' || cs_uri_query, 's'), ''))) AS s,
    (cs_method = 'HEAD' OR cs_user_agent IN ('-', '')
     OR regexp_like(lower(url_decode(url_decode(cs_user_agent))),
       'googleimageproxy|ggpht\.com|yahoomailproxy|bingpreview|safelinks|ms-office|microsoft office|mimecast|proofpoint|barracuda|cisco ironport|trendmicro|symantec|forcepoint|headlesschrome|phantomjs|python-requests|python-urllib|go-http-client|curl/|wget/|okhttp|facebookexternalhit|slackbot|bot|crawler|spider')
    ) AS is_machine
  FROM cloudfront_logs
  WHERE (cs_uri_stem LIKE '%/c' OR cs_uri_stem LIKE '%/pxl.png')
    AND (sc_status BETWEEN 200 AND 399 OR sc_status IS NULL)
)
SELECT
  oid AS orderId, cid AS campaignId, pid AS publicationId, ch AS channel,
  CASE WHEN cr = '' THEN s WHEN s = '' THEN cr ELSE cr || '/' || s END AS itemPath,
  day AS dateStart, day AS dateEnd,
  count_if(NOT is_click AND NOT is_machine) AS impressions,
  count_if(is_click AND NOT is_machine) AS clicks,
  CAST(count_if(is_click AND NOT is_machine) AS double)
    / nullif(count_if(NOT is_click AND NOT is_machine), 0) AS ctr,
  approx_distinct(CASE WHEN NOT is_machine THEN c_ip END) AS reach,
  approx_distinct(CASE WHEN is_click AND NOT is_machine THEN c_ip END) AS unique_clicks,
  count_if(is_machine) AS machine_hits,
  'cloudfront' AS source
FROM hits
GROUP BY day, oid, cid, pid, ch, cr, s
ORDER BY day, oid, cid, pid, ch, cr, s;
