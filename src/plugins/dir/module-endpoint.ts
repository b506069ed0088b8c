/**
 * A local folder seen through a caller's Node-fs-shaped module (memfs and
 * the like, spec/api.md §20), for stores opened with a custom `fs`. Only the
 * module's promise API and `realpathSync` are used: no synchronous calls, no
 * worker thread and no stat cache file, none of which would see a filesystem
 * that is not Node's. Entries therefore carry no blob id and the planner
 * hashes them through `hash` when it must compare. Files are read whole
 * (the module offers no portable streaming read).
 */
import { resolve } from 'node:path';
import { FileNotFoundError, IsADirectoryError } from '../../core/errors.js';
import type { FsModule } from '../../core/types.js';
import type { DirItem, Endpoint, EndpointWriter, Entry, EntryKind, ListOptions, ReadResult, WriterOptions } from '../contract.js';
import { blobIdOf } from '../hash.js';
import { pathIn } from './folder.js';
import { ModuleDirWriter, isMissing } from './module-writer.js';
import { isStagingName } from './staging.js';

export interface ModuleDirEndpointOptions {
  /** Repository inside the folder, never descended into when listing. */
  repoPath?: string;
  display?: string;
}

type ModuleStat = Awaited<ReturnType<FsModule['promises']['lstat']>>;

function kindOf(st: ModuleStat): EntryKind {
  return (st.mode & 0o111) !== 0 ? 'executable' : 'file';
}

function bytesOf(data: Uint8Array | string): Buffer {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

export class ModuleDirEndpoint implements Endpoint {
  readonly display: string;
  readonly root: string;
  private readonly repoAbs: string | null;
  /** Symlinks listed as their target's content (followSymlinks): read and hashed through the link. */
  private readonly followed = new Set<string>();

  constructor(
    private readonly fsm: FsModule,
    root: string,
    opts: ModuleDirEndpointOptions = {},
  ) {
    this.root = resolve(root);
    this.display = opts.display ?? root;
    this.repoAbs = opts.repoPath ? resolve(opts.repoPath) : null;
  }

  private abs(rel: string): string {
    return pathIn(this.root, rel);
  }

  private async lstatOrNull(rel: string): Promise<ModuleStat | null> {
    try {
      return await this.fsm.promises.lstat(this.abs(rel));
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  private async linkTarget(rel: string): Promise<string> {
    return String(await this.fsm.promises.readlink(this.abs(rel)));
  }

  async stat(path: string): Promise<Entry | { path: string; kind: 'dir' } | null> {
    const st = await this.lstatOrNull(path);
    if (!st) return null;
    if (st.isDirectory()) return { path, kind: 'dir' };
    if (st.isSymbolicLink()) return this.linkEntry(path, st);
    if (!st.isFile()) return null;
    return { path, kind: kindOf(st), size: st.size, mtimeMs: st.mtimeMs };
  }

  private async linkEntry(path: string, st: ModuleStat): Promise<Entry> {
    const target = await this.linkTarget(path);
    return { path, kind: 'symlink', size: Buffer.byteLength(target), target, mtimeMs: st.mtimeMs };
  }

  async readdir(path: string): Promise<DirItem[]> {
    const dir = this.abs(path);
    const names = (await this.fsm.promises.readdir(dir)).map(String);
    // stat, not lstat: a link to a folder globs as a folder, as on disk.
    const items = await Promise.all(
      names.map(async (name) => ({ name, isDir: await this.fsm.promises.stat(pathIn(dir, name)).then((s) => s.isDirectory(), () => false) })),
    );
    return items.filter((i) => !(i.isDir && isStagingName(i.name)));
  }

  /**
   * Same order as the disk endpoint: a folder's own entries sorted by name,
   * then its subfolders depth first, also by name.
   */
  async *list(options: ListOptions = {}): AsyncIterable<Entry> {
    const start = options.prefix ?? '';
    // The root itself is always followed (a folder given as `link/` is its target's contents).
    const startStat = await (start === '' ? this.fsm.promises.stat(this.root) : this.fsm.promises.lstat(this.abs(start))).catch((e: unknown) => {
      if (isMissing(e)) return null;
      throw e;
    });
    if (!startStat) return;
    if (!startStat.isDirectory() && !(options.followSymlinks && startStat.isSymbolicLink())) {
      const e = await this.entryFor(start, startStat, options, new Set());
      if (e && e !== 'dir') yield e;
      return;
    }
    const visited = new Set<string>();
    const dirs: string[] = [start];
    while (dirs.length) {
      const dir = dirs.pop()!;
      if (options.followSymlinks) {
        const real = this.fsm.realpathSync(this.abs(dir));
        if (visited.has(real)) continue;
        visited.add(real);
      }
      if (options.onEnterDir) await options.onEnterDir(dir);
      const subdirs: string[] = [];
      for (const name of (await this.fsm.promises.readdir(this.abs(dir))).map(String).sort()) {
        const rel = dir === '' ? name : `${dir}/${name}`;
        const e = await this.entryFor(rel, await this.fsm.promises.lstat(this.abs(rel)), options, visited);
        if (e === 'dir') {
          if (!options.skipDir?.(rel) && this.abs(rel) !== this.repoAbs && !isStagingName(name)) subdirs.push(rel);
        } else if (e) {
          yield e;
        }
      }
      for (let i = subdirs.length - 1; i >= 0; i--) dirs.push(subdirs[i]!);
    }
  }

  /** One listed item from its lstat: a folder, an entry, or null for what is skipped. */
  private async entryFor(rel: string, st: ModuleStat, options: ListOptions, visited: Set<string>): Promise<Entry | 'dir' | null> {
    if (st.isDirectory()) return 'dir';
    if (st.isSymbolicLink()) {
      if (!options.followSymlinks) return this.linkEntry(rel, st);
      const abs = this.abs(rel);
      const target = await this.fsm.promises.stat(abs).catch(() => null);
      if (!target) {
        const err = new FileNotFoundError(abs);
        if (!options.onError) throw err;
        options.onError(abs, err.message);
        return null;
      }
      if (target.isDirectory()) return visited.has(this.fsm.realpathSync(abs)) ? null : 'dir';
      this.followed.add(rel);
      st = target;
    }
    if (!st.isFile()) {
      options.onWarning?.(this.abs(rel), 'Skipping special file (not a regular file, directory or symlink)');
      return null;
    }
    return { path: rel, kind: kindOf(st), size: st.size, mtimeMs: st.mtimeMs };
  }

  /** Content as git stores it: a file's bytes, or an unfollowed link's target. */
  private async content(path: string): Promise<Buffer> {
    const abs = this.abs(path);
    const st = await this.lstatOrNull(path);
    if (!st) throw new FileNotFoundError(abs);
    if (st.isDirectory()) throw new IsADirectoryError(abs);
    if (st.isSymbolicLink() && !this.followed.has(path)) return Buffer.from(await this.linkTarget(path), 'utf8');
    return bytesOf(await this.fsm.promises.readFile(abs));
  }

  async read(path: string): Promise<ReadResult> {
    return { data: await this.content(path) };
  }

  async hash(path: string): Promise<string> {
    return blobIdOf(await this.content(path));
  }

  /** Of the writer options only `keepGoing` applies to folders (no messages or parents). */
  async writer(options: WriterOptions = {}): Promise<EndpointWriter> {
    return ModuleDirWriter.create(this.fsm, this.root, { keepGoing: options.keepGoing === true });
  }
}
