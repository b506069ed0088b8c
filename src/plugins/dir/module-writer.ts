/**
 * Writes into a folder through a caller's fs module in two phases, like the
 * disk writer: `put` writes file contents only into a private
 * `.vost-staging-*` folder inside the root, so a failure while reading
 * sources leaves the destination exactly as it was (`abort` removes the
 * staging folder, and the root too when this writer created it). `commit`
 * applies deletions, then renames each staged file into place, so a file
 * appears complete or not at all; if `commit` itself fails midway, what was
 * renamed before stays.
 *
 * Symlinks are kept in memory and created in place at commit, and links
 * are removed with `unlink`, never `rm` or `rename`: some modules (memfs)
 * follow a link in the last position of those calls and would act on its
 * target. Parent folders are always real directories: a symlink or file in
 * the way is removed, never written through, so nothing lands outside the
 * root. The module API has no utimes, so written files keep the time they
 * were written at rather than the source's mtime.
 */
import type { Readable } from 'node:stream';
import type { FsModule } from '../../core/types.js';
import type { CommitResult, EndpointWriter, EntryKind, PutMeta, PutResult } from '../contract.js';
import { assertSafeRelPath, dirnameRel } from '../paths.js';
import { isRealDirUnder, pathIn, PlaceFailures, pruneEmptyDirs, removeEmptyFolders } from './folder.js';
import { stagingName } from './staging.js';

type Promises = FsModule['promises'];

/** ENOENT or ENOTDIR: nothing is at the path. */
export function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export class ModuleDirWriter implements EndpointWriter {
  /** Where a file lands does not depend on when it is written. */
  readonly anyOrder = true;
  private readonly p: Promises;
  private staged: string[] = [];
  /** Symlinks to create at commit: path → target. */
  private links = new Map<string, string>();
  private deletes: string[] = [];
  /** Folders to remove at commit if empty then (removeEmptyDir). */
  private emptied: string[] = [];
  /** Report a file that cannot be put in place and go on (WriterOptions.keepGoing). */
  private keepGoing = false;
  /** Staging subfolders already made. */
  private stagedDirs = new Set<string>(['']);
  /** Destination folders known to be real directories now. */
  private readyDirs = new Set<string>(['']);

  private constructor(
    fsm: FsModule,
    private readonly root: string,
    private readonly staging: string,
    private readonly createdRoot: boolean,
  ) {
    this.p = fsm.promises;
  }

  /** `root` must be absolute. */
  static async create(fsm: FsModule, root: string, opts: { keepGoing?: boolean } = {}): Promise<ModuleDirWriter> {
    const p = fsm.promises;
    const existed = await p.lstat(root).then((s) => s.isDirectory(), () => false);
    if (!existed) await p.mkdir(root, { recursive: true });
    const staging = pathIn(root, stagingName());
    await p.mkdir(staging);
    const writer = new ModuleDirWriter(fsm, root, staging, !existed);
    writer.keepGoing = opts.keepGoing === true;
    return writer;
  }

  async put(path: string, kind: EntryKind, content: Uint8Array | Readable, meta: PutMeta = {}): Promise<PutResult> {
    assertSafeRelPath(path);
    const result = meta.oid ? { oid: meta.oid } : {};
    if (kind === 'symlink') {
      this.links.set(path, meta.target ?? Buffer.from(content instanceof Uint8Array ? content : await collect(content)).toString('utf8'));
      return result;
    }
    const dir = dirnameRel(path);
    if (!this.stagedDirs.has(dir)) {
      await this.p.mkdir(pathIn(this.staging, dir), { recursive: true });
      this.stagedDirs.add(dir);
    }
    const tmp = pathIn(this.staging, path);
    await this.writeFile(tmp, content);
    if (kind === 'executable') await this.p.chmod(tmp, 0o755);
    this.staged.push(path);
    return result;
  }

  /** Streams go in chunk by chunk (appendFile), so a big file is never held whole. */
  private async writeFile(tmp: string, content: Uint8Array | Readable): Promise<void> {
    if (content instanceof Uint8Array) {
      await this.p.writeFile(tmp, content);
      return;
    }
    await this.p.writeFile(tmp, new Uint8Array(0));
    for await (const chunk of content) await this.p.appendFile(tmp, typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array));
  }

  async remove(path: string): Promise<void> {
    assertSafeRelPath(path);
    this.deletes.push(path);
  }

  async removeEmptyDir(path: string): Promise<void> {
    assertSafeRelPath(path);
    this.emptied.push(path);
  }

  async commit(): Promise<CommitResult> {
    try {
      for (const d of this.deletes) await this.removeOne(d);
      await pruneEmptyDirs(this.p, this.root, this.deletes);
      const failures = new PlaceFailures(this.root, this.keepGoing);
      for (const path of this.staged) await this.place(path).catch((e: unknown) => failures.record(path, e));
      for (const [path, target] of this.links) await this.placeLink(path, target).catch((e: unknown) => failures.record(path, e));
      await removeEmptyFolders(this.p, this.root, this.emptied);
      return failures.result();
    } finally {
      await removeTree(this.p, this.staging);
    }
  }

  async abort(): Promise<void> {
    await removeTree(this.p, this.staging);
    if (this.createdRoot) await this.p.rmdir(this.root).catch(() => undefined);
  }

  /** Remove a file, link or folder, but only below real directories (never through a link). */
  private async removeOne(rel: string): Promise<void> {
    if (!(await isRealDirUnder(this.p, this.root, dirnameRel(rel)))) return;
    await removeTree(this.p, pathIn(this.root, rel));
  }

  /** Make every parent of `rel` a real directory, replacing whatever else is in the way. */
  private async makeParents(rel: string): Promise<void> {
    let dir = '';
    const segs = rel.split('/');
    for (let i = 0; i < segs.length - 1; i++) {
      dir = dir ? `${dir}/${segs[i]}` : segs[i]!;
      if (this.readyDirs.has(dir)) continue;
      const abs = pathIn(this.root, dir);
      const st = await lstatOrNull(this.p, abs);
      if (!st?.isDirectory()) {
        if (st) await removeTree(this.p, abs);
        await this.p.mkdir(abs);
      }
      this.readyDirs.add(dir);
    }
  }

  /**
   * Parents made real, and anything but a regular file at `rel` removed
   * (a regular file is replaced by the rename itself). Returns the path.
   */
  private async clearFor(rel: string): Promise<string> {
    await this.makeParents(rel);
    const to = pathIn(this.root, rel);
    const st = await lstatOrNull(this.p, to);
    if (st && !st.isFile()) await removeTree(this.p, to);
    return to;
  }

  /** Move one staged file into place. */
  private async place(rel: string): Promise<void> {
    await this.p.rename(pathIn(this.staging, rel), await this.clearFor(rel));
  }

  private async placeLink(rel: string, target: string): Promise<void> {
    const to = await this.clearFor(rel);
    // A regular file is in the way of a link: symlink() does not replace.
    if (await lstatOrNull(this.p, to)) await this.p.unlink(to);
    await this.p.symlink(target, to);
  }
}

async function lstatOrNull(p: Promises, abs: string): Promise<Awaited<ReturnType<Promises['lstat']>> | null> {
  try {
    return await p.lstat(abs);
  } catch (e) {
    if (isMissing(e)) return null;
    throw e;
  }
}

/** Remove a file, link or folder tree; links are unlinked, never followed. Missing is fine. */
async function removeTree(p: Promises, abs: string): Promise<void> {
  const st = await lstatOrNull(p, abs);
  if (!st) return;
  if (!st.isDirectory()) {
    await p.unlink(abs);
    return;
  }
  for (const name of (await p.readdir(abs)).map(String)) await removeTree(p, `${abs}/${name}`);
  await p.rmdir(abs);
}

async function collect(r: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(parts);
}
