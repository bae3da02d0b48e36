/**
 * Maps `items` through `work` with at most `limit` calls in flight, keeping order. After the
 * first failure no new call starts: the caller has already failed (the router is falling back),
 * so further upstream calls would be paid for and thrown away — a batch against a sick upstream
 * costs at most `limit` calls, not one per item.
 */
export async function mapWithConcurrency<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length && !failed) {
      const index = next++;
      try {
        results[index] = await work(items[index]!, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  });
  await Promise.all(lanes);
  return results;
}
