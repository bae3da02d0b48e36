-- A batch's usage.items is the sum of its items' own usage.items (texts, documents …), as its
-- cached_items and units already were; it used to be the count of items that succeeded, so a batch
-- of multi-text items showed more cached items than items. Rows from before hold 0 here and are
-- presented with their succeeded count, which is what they showed (src/batches/present.ts).
ALTER TABLE batches ADD COLUMN usage_items INTEGER NOT NULL DEFAULT 0;
