// Timing helpers shared by the sections: medians of repeated runs.
//
// No forced garbage collection between runs: a full GC (gc() under --expose-gc) makes V8 drop
// compiled code now and then, so a JIT-compiled parser runs several times slower on the run
// after it. Medians over enough runs absorb the collections that happen on their own.

export const now = () => performance.now();

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Microseconds per call of a synchronous `fn`: `calls` calls per round, median of `rounds`.
 * `fn(i)` gets the call number, so it can cycle through inputs.
 */
export function perCallUs(fn, { calls = 20000, rounds = 7, warmup = 2000 } = {}) {
  for (let i = 0; i < warmup; i += 1) fn(i);
  const times = [];
  for (let r = 0; r < rounds; r += 1) {
    const start = now();
    for (let i = 0; i < calls; i += 1) fn(i);
    times.push(((now() - start) * 1000) / calls);
  }
  return median(times);
}

/** The same for an async `fn`, awaited one call at a time (the latency one request sees). */
export async function perCallUsAsync(fn, { calls = 5000, rounds = 7, warmup = 500 } = {}) {
  for (let i = 0; i < warmup; i += 1) await fn(i);
  const times = [];
  for (let r = 0; r < rounds; r += 1) {
    const start = now();
    for (let i = 0; i < calls; i += 1) await fn(i);
    times.push(((now() - start) * 1000) / calls);
  }
  return median(times);
}

/** Microseconds per call of an async `fn` with `inFlight` calls outstanding at a time. */
export async function perCallUsConcurrent(fn, { calls = 5000, rounds = 7, inFlight = 64 } = {}) {
  const batch = async () => {
    for (let i = 0; i < calls; i += inFlight) {
      const pending = [];
      for (let k = i; k < Math.min(calls, i + inFlight); k += 1) pending.push(fn(k));
      await Promise.all(pending);
    }
  };
  await batch();
  const times = [];
  for (let r = 0; r < rounds; r += 1) {
    const start = now();
    await batch();
    times.push(((now() - start) * 1000) / calls);
  }
  return median(times);
}
