import { describe, expect, it } from 'vitest';
import { diagnose, parseCpuList, usable, type Readings } from '../../lib/doctor.ts';

const host: Readings = {
  executor: 'vm',
  docker: { ok: true, version: '24.0' },
  qemu: { version: 'QEMU emulator version 7.2' },
  kernel: { path: '/k/vmlinuz-6.1', version: '6.1' },
  kvm: { device: true, probe: { ok: true, why: 'a guest booted in 0.4 s' } },
  accel: 'auto',
  guestMemoryMb: 1024,
  hugepages: { wanted: true, totalPages: 1024, freePages: 600, pageKb: 2048 },
  memlock: { limitBytes: null, privileged: true },
  pinned: [2, 3],
  isolated: [2, 3],
  nohzFull: [2, 3],
  siblings: { 2: [2, 6], 3: [3, 7] },
  governors: { 2: 'performance', 3: 'powersave' },
  turbo: false,
  thp: 'madvise',
  noise: { cv: 0.018, medianMs: 31.2, runs: 30 },
};
const byId = (r: Readings) => Object.fromEntries(diagnose(r).map((c) => [c.id, c]));

describe('doctor', () => {
  it('passes a well set-up KVM host, and names what is off with its fix', () => {
    const c = byId(host);
    expect(c.kvm.level).toBe('ok');
    expect(c.hugepages.level).toBe('ok');
    expect(c.isolcpus.level).toBe('ok');
    expect(c.smt).toMatchObject({ level: 'warn', message: expect.stringContaining('6,7') });
    expect(c.governor).toMatchObject({ level: 'warn', message: expect.stringContaining('CPU(s) 3') });
    expect(c.governor.fix).toMatch(/performance/);
    expect(usable(diagnose(host))).toBe(true);
  });

  it('fails what the configured executor cannot do without, and only warns about the rest', () => {
    const noKvm = { ...host, kvm: { device: true, probe: { ok: false, why: 'failed to set MSR' } } };
    expect(byId(noKvm).kvm).toMatchObject({ level: 'warn', message: expect.stringMatching(/not usable.*failed to set MSR.*falls back to TCG/) });
    expect(usable(diagnose({ ...noKvm, accel: 'kvm' }))).toBe(false);
    expect(usable(diagnose({ ...host, qemu: { version: null } }))).toBe(false);
    expect(usable(diagnose({ ...host, executor: 'docker', qemu: { version: null }, kernel: null }))).toBe(true);
    expect(usable(diagnose({ ...host, docker: { ok: false, error: 'no socket' } }))).toBe(false);
    expect(byId({ ...host, hugepages: { ...host.hugepages, freePages: 10 } }).hugepages).toMatchObject({ level: 'fail', fix: expect.stringContaining('nr_hugepages') });
    expect(byId({ ...host, memlock: { limitBytes: 65536, privileged: false } }).memlock.level).toBe('fail');
  });

  it("says how noisy the host itself is, and a noisy host is a warning, never a failure", () => {
    expect(byId(host).noise).toMatchObject({ level: 'ok', message: expect.stringMatching(/30 times \(median 31\.2 ms\) varied 1\.8% run to run: a quiet host/) });
    const noisy = { ...host, noise: { cv: 0.243, medianMs: 33, runs: 30 } };
    expect(byId(noisy).noise).toMatchObject({ level: 'warn', message: expect.stringMatching(/varied 24\.3% .*noisy.*intervals will be wide/), fix: expect.stringContaining('no other load') });
    expect(usable(diagnose(noisy))).toBe(true);
    expect(byId({ ...host, noise: { error: 'no /bin/sh' } }).noise).toMatchObject({ level: 'warn', message: expect.stringContaining('could not be measured: no /bin/sh') });
  });

  it('reads kernel CPU lists', () => {
    expect(parseCpuList('0-2,5')).toEqual([0, 1, 2, 5]);
    expect(parseCpuList('')).toEqual([]);
    expect(parseCpuList('(null)')).toEqual([]);
  });
});
