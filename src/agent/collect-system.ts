// Memory, filesystem and OS facts for the collector, read through systeminformation.
import os from 'node:os';
import * as si from 'systeminformation';

export interface MemFacts {
  used: number;
  free: number;
  buffer: number;
  total: number;
}

export interface MemResult {
  mem: MemFacts;
  warning?: string;
}

/**
 * Bytes of memory. On Linux buffer = Buffers + Cached of /proc/meminfo and used = total − free −
 * buffer (the "-/+ buffers/cache" figure of `free`), so used + free + buffer = total. systeminformation's
 * own `used` is total − free (cache included) and its `buffcache` adds all of Slab, so neither is used.
 */
export async function readMem(): Promise<MemResult> {
  const m = await si.mem();
  const total = m.total > 0 ? m.total : os.totalmem();
  const free = Math.min(Math.max(0, m.free), total);
  let buffer = process.platform === 'linux' ? m.buffers + m.cached : m.buffcache;
  let warning: string | undefined;
  if (!(buffer > 0)) {
    buffer = 0;
    if (process.platform !== 'linux') {
      warning = `mem mem_buffer (buffers+cache) cannot be read on ${process.platform}; written as 0`;
    }
  }
  buffer = Math.min(buffer, total - free);
  return { mem: { used: total - free - buffer, free, buffer, total }, warning };
}

/**
 * Filesystem types that are not real local storage: memory-backed, virtual, container layers,
 * read-only images and network filesystems. `fuse.*` and `fuse` are matched by prefix.
 */
const NOT_LOCAL = new Set([
  'tmpfs',
  'devtmpfs',
  'ramfs',
  'rootfs',
  'overlay',
  'overlayfs',
  'aufs',
  'unionfs',
  'proc',
  'sysfs',
  'devpts',
  'devfs',
  'udev',
  'cgroup',
  'cgroup2',
  'squashfs',
  'cramfs',
  'iso9660',
  'udf',
  'autofs',
  'mqueue',
  'debugfs',
  'tracefs',
  'securityfs',
  'pstore',
  'bpf',
  'configfs',
  'fusectl',
  'hugetlbfs',
  'binfmt_misc',
  'efivarfs',
  'nsfs',
  'selinuxfs',
  'rpc_pipefs',
  'nfs',
  'nfs4',
  'nfsd',
  'cifs',
  'smbfs',
  'smb3',
  '9p',
  'ceph',
  'glusterfs',
  'lustre',
  'afs',
  'davfs',
  'sshfs',
  'none',
]);

export function isRealLocal(type: string): boolean {
  const t = type.toLowerCase();
  return !NOT_LOCAL.has(t) && t !== 'fuse' && !t.startsWith('fuse.');
}

export interface Disk {
  mount: string;
  used: number;
  total: number;
}

export interface DiskResult {
  disks: Disk[];
  warnings: string[];
}

/**
 * Used and total bytes per mount. Without `mounts`, every real local filesystem once (a device
 * bind-mounted at several places, as containers do with /etc/hosts, is listed at its shortest
 * mount point); with `mounts`, exactly those mount points, whatever their type.
 */
export async function readDisks(mounts?: string[]): Promise<DiskResult> {
  const all = await si.fsSize();
  const warnings: string[] = [];
  const toDisk = (f: si.Systeminformation.FsSizeData): Disk => ({
    mount: f.mount,
    used: Math.min(Math.max(0, f.used), f.size),
    total: f.size,
  });
  if (mounts) {
    const disks: Disk[] = [];
    for (const m of mounts) {
      // The last entry for a mount point is the one on top (an over-mount hides the one below).
      const f = all.filter((x) => x.mount === m).pop();
      if (f) disks.push(toDisk(f));
      else warnings.push(`disk ${m}: not a mounted filesystem (or df could not read it); skipped`);
    }
    return { disks, warnings };
  }
  const byDevice = new Map<string, si.Systeminformation.FsSizeData>();
  for (const f of all) {
    if (!isRealLocal(f.type) || !(f.size > 0)) continue;
    const seen = byDevice.get(f.fs);
    if (!seen || f.mount.length < seen.mount.length) byDevice.set(f.fs, f);
  }
  if (all.length === 0) warnings.push('disk: no filesystem could be read (df failed?)');
  else if (byDevice.size === 0) warnings.push('disk: no real local filesystem found');
  return { disks: [...byDevice.values()].map(toDisk), warnings };
}

export interface OsFacts {
  name: string;
  version: string;
}

/** "Debian GNU/Linux 12" and the kernel release; elsewhere the product name and its version. */
export async function readOs(): Promise<OsFacts> {
  const o = await si.osInfo();
  const distro = (o.distro || '').trim();
  const release = (o.release || '').trim();
  let name = distro || o.platform || process.platform;
  if (distro && release && !distro.includes(release)) name = `${distro} ${release}`;
  const version = (o.kernel || os.release() || '').trim();
  return { name, version };
}
