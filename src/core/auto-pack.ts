/**
 * Automatic housekeeping after a commit, like `git gc --auto`: too many packs
 * are merged into one, too many loose objects are packed. Nothing is ever
 * pruned. It runs after the repository lock is released (the storage layer
 * orders its writes so concurrent readers and writers stay safe) and is
 * skipped while another process is already doing it. Limits: GitStore.open's
 * `autoPack` option, else the repository's gc.auto / gc.autoPackLimit, else
 * git's defaults.
 */
import { join } from 'node:path';
import { parseGitSize, readRepoConfig } from './store/config.js';
import type { RepoFs } from './store/repo-fs.js';
import type { GitStore } from './gitstore.js';

export interface AutoPackLimits {
  /** Pack the loose objects once there are more than this many (git's gc.auto; 0 = no automatic packing at all). */
  looseObjects: number;
  /** Merge all packs into one once there are more than this many (git's gc.autoPackLimit; 0 = never). */
  packs: number;
}

export const DEFAULT_AUTO_PACK_LIMITS: AutoPackLimits = { looseObjects: 6700, packs: 50 };

/** A claim older than this was left by a process that died mid-pack. */
const CLAIM_STALE_MS = 60 * 60 * 1000;

export type AutoPackAction = 'none' | 'pack-loose' | 'repack';

/** Decide and run; failures are swallowed: the commit itself has already succeeded. */
export async function autoPackAfterCommit(store: GitStore): Promise<AutoPackAction> {
  if (!store._autoPack || process.env.VOST_AUTO_PACK === '0') return 'none';
  try {
    const fs = store._repoFs;
    const limits = { ...(await configuredLimits(fs, store._gitdir)), ...store._autoPack };
    const action = await neededAction(fs, join(store._gitdir, 'objects'), limits);
    if (action === 'none') return action;
    return await withClaim(fs, store._gitdir, async () => {
      const repo = await store._open();
      if (action === 'repack') await repo.objects.repack();
      else await repo.objects.pack();
      return action;
    });
  } catch {
    return 'none';
  }
}

/** git's own settings apply too: gc.auto (0 = never) and gc.autoPackLimit (0 = no pack limit). */
async function configuredLimits(fs: RepoFs, gitdir: string): Promise<AutoPackLimits> {
  const config = await readRepoConfig(gitdir, fs);
  const number = (key: string, fallback: number) => parseGitSize(config.get('gc', key)) ?? fallback;
  return {
    looseObjects: number('auto', DEFAULT_AUTO_PACK_LIMITS.looseObjects),
    packs: number('autoPackLimit', DEFAULT_AUTO_PACK_LIMITS.packs),
  };
}

async function neededAction(fs: RepoFs, objdir: string, limits: AutoPackLimits): Promise<AutoPackAction> {
  if (limits.looseObjects === 0) return 'none';
  if (limits.packs > 0 && (await countPacks(fs, join(objdir, 'pack'))) > limits.packs) return 'repack';
  if ((await estimateLoose(fs, objdir, limits.looseObjects)) > limits.looseObjects) return 'pack-loose';
  return 'none';
}

async function countPacks(fs: RepoFs, packDir: string): Promise<number> {
  const names = await fs.readdir(packDir).catch(() => [] as string[]);
  const keep = new Set(names.filter((n) => n.endsWith('.keep')).map((n) => n.slice(0, -5)));
  return names.filter((n) => n.endsWith('.idx') && !keep.has(n.slice(0, -4))).length;
}

/**
 * Loose objects are spread evenly over 256 fan-out folders, so for big
 * limits one folder (`17`, as git samples) times 256 is estimate enough;
 * small limits count every folder.
 */
async function estimateLoose(fs: RepoFs, objdir: string, limit: number): Promise<number> {
  const folders = limit >= 1024 ? ['17'] : Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
  let n = 0;
  for (const f of folders) {
    const names = await fs.readdir(join(objdir, f)).catch(() => [] as string[]);
    n += names.filter((name) => /^[0-9a-f]{38}$/.test(name)).length;
  }
  return (n * 256) / folders.length;
}

/** Run `fn` unless another process holds the claim file; 'none' when skipped. */
async function withClaim(fs: RepoFs, gitdir: string, fn: () => Promise<AutoPackAction>): Promise<AutoPackAction> {
  const claim = join(gitdir, 'vost-autopack.lock');
  if (!(await takeClaim(fs, claim))) return 'none';
  try {
    return await fn();
  } finally {
    await fs.rm(claim);
  }
}

async function takeClaim(fs: RepoFs, path: string): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(path, '', { exclusive: true });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const st = await fs.stat(path).catch(() => null);
      if (st && st.mtimeMs > Date.now() - CLAIM_STALE_MS) return false;
      await fs.rm(path);
    }
  }
  return false;
}
