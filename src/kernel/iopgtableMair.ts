// A leaf module (no imports) so the era modules can name the MAIR without importing
// iopgtable.ts, which itself asks the eras what to do: that cycle broke module loading when a
// test imported an iommufd file first.
/** io-pgtable stage-1 MAIR: 2018 `0x0004FF44` (NC, WBRWA, Device-nGnRE); today adds idx 3 = 0xF4. */
export const IOPGTABLE_MAIR = { v2018: 0x0004_ff44n, today: 0xf404_ff44n } as const;
