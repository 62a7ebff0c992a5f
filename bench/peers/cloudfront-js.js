#!/usr/bin/env node
// CloudFront access-log aggregation the straightforward way in Node, the baseline for clicktrail's
// `logs` command: readline over a read stream (through gunzip for .gz), split each line on tabs
// (fields found by the `#Fields` header), URLSearchParams on the query, a Map of
// day|oid|cid|pid|ch|cr|s -> counters with Sets of client IPs for the unique counts.
// Counting rules as clicktrail's in spirit: a URI stem ending in /c is a click, /pxl.png an
// impression, only with status 2xx/3xx (or none); no machine-traffic classification (every hit
// counts), exact unique counts (Sets, no sketch).
//
//   node bench/peers/cloudfront-js.js FILE[.gz]
// CSV on stdout (day, key, impressions, clicks, unique_clicks, reach, sorted by key); a JSON
// summary on stderr: {lines, hits, clicks, impressions, otherPaths, refused, rows}.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

const KEY_PARAMS = ['oid', 'cid', 'pid', 'ch', 'cr', 's'];

export async function aggregateLog(path) {
  let input = createReadStream(path);
  if (path.endsWith('.gz')) input = input.pipe(createGunzip());
  const lines = createInterface({ input, crlfDelay: Infinity });

  let index = { date: 0, stem: 7, status: 8, ip: 4, query: 11 }; // the standard order until #Fields
  const groups = new Map();
  const summary = { lines: 0, hits: 0, clicks: 0, impressions: 0, otherPaths: 0, refused: 0, rows: 0 };
  for await (const line of lines) {
    summary.lines += 1;
    if (line.length === 0) continue;
    if (line.startsWith('#')) {
      if (line.startsWith('#Fields:')) {
        const names = line.slice(8).trim().split(/\s+/);
        index = {
          date: names.indexOf('date'),
          stem: names.indexOf('cs-uri-stem'),
          status: names.indexOf('sc-status'),
          ip: names.indexOf('c-ip'),
          query: names.indexOf('cs-uri-query'),
        };
      }
      continue;
    }
    const fields = line.split('\t');
    summary.hits += 1;
    const stem = fields[index.stem];
    const click = stem.endsWith('/c');
    if (!click && !stem.endsWith('/pxl.png')) {
      summary.otherPaths += 1;
      continue;
    }
    const status = Number(fields[index.status]);
    if (status >= 400 || (status > 0 && status < 200)) {
      summary.refused += 1;
      continue;
    }
    const query = fields[index.query];
    const params = new URLSearchParams(query === '-' ? '' : query);
    let key = fields[index.date];
    for (const name of KEY_PARAMS) key += `|${params.get(name) ?? ''}`;
    let group = groups.get(key);
    if (!group) {
      group = { impressions: 0, clicks: 0, clickIps: new Set(), ips: new Set() };
      groups.set(key, group);
    }
    const ip = fields[index.ip];
    group.ips.add(ip);
    if (click) {
      group.clicks += 1;
      group.clickIps.add(ip);
      summary.clicks += 1;
    } else {
      group.impressions += 1;
      summary.impressions += 1;
    }
  }
  summary.rows = groups.size;
  return { groups, summary };
}

export function toCsv(groups) {
  const csvField = (v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const out = ['date,order_id,campaign_id,publication_id,channel,creative,size,impressions,clicks,unique_clicks,reach'];
  for (const key of [...groups.keys()].sort()) {
    const g = groups.get(key);
    out.push(`${key.split('|').map(csvField).join(',')},${g.impressions},${g.clicks},${g.clickIps.size},${g.ips.size}`);
  }
  return `${out.join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = process.argv[2];
  if (!path) {
    console.error('usage: node bench/peers/cloudfront-js.js FILE[.gz]');
    process.exit(2);
  }
  const { groups, summary } = await aggregateLog(path);
  process.stdout.write(toCsv(groups));
  process.stderr.write(`${JSON.stringify(summary)}\n`);
}
