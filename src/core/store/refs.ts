import { dirname, join } from 'node:path';
import { InvalidRefNameError, RefConflictError } from '../errors.js';
import { isOid } from '../objects/hash.js';
import { isErrno, readIfExists } from './fsutil.js';
import { LockFile } from './lock.js';
import { PackedRefs } from './packed-refs.js';
import { nodeRepoFs, type DirEntry, type RepoFs } from './repo-fs.js';
import { ZERO_OID, type Oid, type RefStore, type RefUpdate, type ReflogLine } from './types.js';

const MAX_SYMREF_DEPTH = 5;

/**
 * Reject names git would reject, and anything that could leave the git dir
 * (`..`, absolute paths, backslashes). Top-level names like HEAD are allowed.
 */
export function checkRefName(ref: string): void {
  const bad =
    ref === '' ||
    ref.startsWith('/') ||
    ref.endsWith('/') ||
    ref.endsWith('.') ||
    ref.includes('..') ||
    ref.includes('//') ||
    ref.includes('@{') ||
    /[\x00-\x20\x7f~^:?*[\\]/.test(ref) ||
    ref.split('/').some((c) => c.startsWith('.') || c.endsWith('.lock')) ||
    (!ref.startsWith('refs/') && !/^[A-Z][A-Z0-9_]*$/.test(ref));
  if (bad) throw new InvalidRefNameError(`Invalid ref name: ${ref}`);
}

type LooseValue = { kind: 'oid'; oid: Oid } | { kind: 'symbolic'; target: string } | null;

/** Loose refs + packed-refs + reflogs, in git's on-disk formats. */
export class FileRefStore implements RefStore {
  private readonly packed: PackedRefs;
  private readonly fs: RepoFs;

  constructor(
    readonly gitdir: string,
    opts: { fs?: RepoFs } = {},
  ) {
    this.fs = opts.fs ?? nodeRepoFs;
    this.packed = new PackedRefs(gitdir, this.fs);
  }

  async resolve(ref: string): Promise<Oid | null> {
    const target = await this.follow(ref);
    return target ? this.readDirect(target) : null;
  }

  async readSymbolic(ref: string): Promise<string | null> {
    checkRefName(ref);
    const v = await this.readLoose(ref);
    return v?.kind === 'symbolic' ? v.target : null;
  }

  async writeSymbolic(ref: string, target: string): Promise<void> {
    checkRefName(ref);
    checkRefName(target);
    const lock = await this.lock(ref);
    await lock.commit(`ref: ${target}\n`);
  }

  async update(u: RefUpdate): Promise<void> {
    if (!isOid(u.newOid)) throw new Error(`Not an object id: ${u.newOid}`);
    const ref = (await this.follow(u.ref)) ?? u.ref;
    const lock = await this.lock(ref);
    try {
      const current = await this.readDirect(ref);
      if (u.expectOld !== undefined) {
        const expected = u.expectOld === ZERO_OID ? null : u.expectOld;
        if (current !== expected) throw new RefConflictError(ref, u.expectOld, current);
      }
      if (u.reflog) await this.appendReflog(ref, current ?? ZERO_OID, u.newOid, u.reflog);
      await lock.commit(`${u.newOid}\n`);
    } finally {
      await lock.release();
    }
  }

  async delete(ref: string): Promise<void> {
    checkRefName(ref);
    const lock = await this.lock(ref);
    try {
      await this.packed.remove(ref);
      await this.fs.rm(join(this.gitdir, ref));
      // As git does: a deleted ref takes its reflog along, so a later ref of
      // the same name starts a history of its own.
      await this.fs.rm(join(this.gitdir, 'logs', ref));
    } finally {
      await lock.release();
    }
    await this.pruneEmptyDirs(dirname(ref));
    await this.pruneEmptyDirs(dirname(ref), 'logs');
  }

  async list(prefix: string): Promise<Array<{ ref: string; oid: Oid }>> {
    const found = new Map<string, Oid>();
    for (const [ref, entry] of await this.packed.entries()) {
      if (ref.startsWith(prefix)) found.set(ref, entry.oid);
    }
    const base = prefix.endsWith('/') ? prefix.slice(0, -1) : dirname(prefix);
    for (const ref of await this.walkLoose(base)) {
      if (!ref.startsWith(prefix)) continue;
      const oid = await this.resolve(ref).catch(() => null);
      if (oid) found.set(ref, oid);
      else found.delete(ref);
    }
    return [...found.entries()]
      .map(([ref, oid]) => ({ ref, oid }))
      .sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  }

  async readReflog(ref: string): Promise<ReflogLine[] | null> {
    checkRefName(ref);
    const buf = await readIfExists(this.fs, join(this.gitdir, 'logs', ref));
    if (!buf) return null;
    const out: ReflogLine[] = [];
    for (const line of buf.toString('utf8').split('\n')) {
      const m = /^([0-9a-f]{40}) ([0-9a-f]{40}) (.*>) (\d+) ([+-]\d{4})(?:\t(.*))?$/.exec(line);
      if (!m) continue;
      out.push({
        oldSha: m[1]!,
        newSha: m[2]!,
        committer: m[3]!,
        timestamp: Number(m[4]),
        tz: m[5]!,
        message: m[6] ?? '',
      });
    }
    return out;
  }

  async peeled(ref: string): Promise<Oid | null> {
    return (await this.packed.get(ref))?.peeled ?? null;
  }

  /** Follow symbolic refs to the name that holds an id (which may not exist yet). */
  private async follow(ref: string): Promise<string | null> {
    let name = ref;
    for (let depth = 0; depth <= MAX_SYMREF_DEPTH; depth++) {
      checkRefName(name);
      const v = await this.readLoose(name);
      if (v?.kind !== 'symbolic') return name;
      name = v.target;
    }
    return null;
  }

  /** Value of a ref without following symbolic refs: loose first, then packed-refs. */
  private async readDirect(ref: string): Promise<Oid | null> {
    const v = await this.readLoose(ref);
    if (v?.kind === 'oid') return v.oid;
    if (v?.kind === 'symbolic') return null;
    return (await this.packed.get(ref))?.oid ?? null;
  }

  private async readLoose(ref: string): Promise<LooseValue> {
    let buf: Buffer | null;
    try {
      buf = await readIfExists(this.fs, join(this.gitdir, ref));
    } catch (err) {
      if (isErrno(err, 'EISDIR')) return null;
      throw err;
    }
    if (!buf) return null;
    const text = buf.toString('utf8').trim();
    if (text.startsWith('ref:')) return { kind: 'symbolic', target: text.slice(4).trim() };
    return isOid(text) ? { kind: 'oid', oid: text } : null;
  }

  private async lock(ref: string): Promise<LockFile> {
    const path = join(this.gitdir, ref);
    try {
      await this.fs.mkdir(dirname(path));
    } catch (err) {
      if (isErrno(err, 'EEXIST') || isErrno(err, 'ENOTDIR')) {
        throw new InvalidRefNameError(`Cannot create ref ${ref}: a ref exists at one of its parent paths`);
      }
      throw err;
    }
    const st = await this.fs.stat(path).catch(() => null);
    if (st?.isDirectory()) {
      // An empty directory left by deleted refs does not block the name; real refs beneath it do.
      await this.fs.rmdir(path).catch(() => {
        throw new InvalidRefNameError(`Cannot create ref ${ref}: refs exist beneath it`);
      });
    }
    return LockFile.acquire(path, { fs: this.fs });
  }

  private async appendReflog(
    ref: string,
    oldOid: Oid,
    newOid: Oid,
    entry: NonNullable<RefUpdate['reflog']>,
  ): Promise<void> {
    const path = join(this.gitdir, 'logs', ref);
    await this.fs.mkdir(dirname(path));
    const secs = entry.timestamp ?? Math.floor(Date.now() / 1000);
    const message = entry.message.replace(/\n+/g, ' ').trimEnd();
    await this.fs.appendFile(path, `${oldOid} ${newOid} ${entry.committer} ${secs} +0000\t${message}\n`);
  }

  /** Remove directories a deleted ref leaves empty, stopping at refs/<kind>. */
  /** Removes now-empty folders of `dir` (under `base` of the gitdir), down to `refs/<kind>`. */
  private async pruneEmptyDirs(dir: string, base = ''): Promise<void> {
    for (let d = dir; d.split('/').length > 2; d = dirname(d)) {
      try {
        await this.fs.rmdir(join(this.gitdir, base, d));
      } catch {
        return;
      }
    }
  }

  private async walkLoose(dir: string): Promise<string[]> {
    const out: string[] = [];
    let names: DirEntry[];
    try {
      names = await this.fs.readdirKinds(join(this.gitdir, dir));
    } catch {
      return out;
    }
    for (const d of names) {
      const rel = `${dir}/${d.name}`;
      if (d.isDirectory) out.push(...(await this.walkLoose(rel)));
      else if (d.isFile && !d.name.endsWith('.lock')) out.push(rel);
    }
    return out;
  }
}
