// Test helpers for the importers. The real samples live in fixtures/ (copied from
// shared/samples; the first line of each names its public source), so CI needs nothing else;
// test files read them with node:fs, which stays out of this module so that src/logs remains
// loadable in the browser.
import { parseDmesg, type DmesgOk } from './dmesg.ts';
import { parseMaps, type MapsOk } from './maps.ts';

export const DMESG_FIXTURES = [
  '01-hisi-sva-stall-ssid1.txt',
  '02-aquantia-atl2-ftranslation.txt',
  '10-qemu-pxb-c-bad-streamid.txt',
  '12-rk3588-probe-and-c-bad-streamid.txt',
  '17-hanpfei-f-stream-disabled.txt',
  '19-gerror-cmdq-illegal-command.txt',
] as const;

export const MAPS_FIXTURES = [
  '01-arm64-v6.5-merge-test-hole.maps',
  '09-kernel-doc-proc-rst-i386.maps',
] as const;

/** Parses and fails the test with the importer's own message when it is an error. */
export function dmesgOk(text: string): DmesgOk {
  const r = parseDmesg(text);
  if (!r.ok) throw new Error(`expected a parse, got: ${r.message}`);
  return r;
}

export function mapsOk(text: string): MapsOk {
  const r = parseMaps(text);
  if (!r.ok) throw new Error(`expected a parse, got: ${r.message}`);
  return r;
}

/** Lines as the driver prints them, with an ACPI-style device prefix (smmuv3.md §5.3). */
export const smmu = (...lines: string[]): string =>
  lines.map((l) => `arm-smmu-v3 arm-smmu-v3.0.auto: ${l}`).join('\n');
