// CPU time the local server's processes spend, read from /proc (Linux), so a benchmark can say
// per request where the machine's CPU went: the Worker's workerd (the one with the inspector:
// the Worker, and locally its Durable Objects, queue consumer and D1), wrangler's proxy workerd
// (which every request crosses locally and no request crosses on Cloudflare), wrangler's Node
// process, and the benchmark client itself. With 32 connections on 2 cores the run is CPU-bound, so
// these are what sets throughput — and they are less moved than requests per second by other
// work on a shared machine.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

export const processCpuAvailable = existsSync('/proc/self/stat');

/** Seconds of CPU so far per role, over the processes of `groupId` (the server's process group) and this client. */
export function processCpuSeconds(groupId) {
  const seconds = { worker: 0, proxy: 0, wrangler: 0, client: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6 };
  if (!processCpuAvailable) return seconds;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // The command name may hold spaces or parentheses: the fields start after its last ')'.
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    if (Number(fields[2]) !== groupId) continue;
    const cpu = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    const name = stat.slice(stat.indexOf('(') + 1, close);
    if (name !== 'workerd') seconds.wrangler += cpu;
    else if (readCommandLine(pid).includes('--inspector-addr')) seconds.worker += cpu;
    else seconds.proxy += cpu;
  }
  return seconds;
}

function readCommandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** The CPU per role between two readings, in µs per request. */
export function cpuPerRequest(before, after, requests) {
  const per = (role) => ((after[role] - before[role]) / requests) * 1e6;
  const roles = { worker: per('worker'), proxy: per('proxy'), wrangler: per('wrangler'), client: per('client') };
  return { ...roles, total: roles.worker + roles.proxy + roles.wrangler + roles.client };
}
