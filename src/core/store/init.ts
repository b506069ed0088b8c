import { join } from 'node:path';
import { exists, writeFileAtomic } from './fsutil.js';
import { nodeRepoFs, type RepoFs } from './repo-fs.js';

export interface InitOptions {
  /** Branch HEAD points at: a short name ('main') or a full ref ('refs/heads/main'). Default 'master', as git. */
  initialHead?: string;
  /** Written to core.compression when given. */
  compression?: number;
  /** Written to core.bigFileThreshold when given (bytes). */
  bigFileThreshold?: number;
  /** The filesystem the repository lives on (default: Node's). */
  fs?: RepoFs;
}

const DESCRIPTION = "Unnamed repository; edit this file 'description' to name the repository.\n";
const EXCLUDE =
  '# git ls-files --others --exclude-from=.git/info/exclude\n' +
  '# Lines that start with \'#\' are comments.\n';

/**
 * Create the layout `git init --bare` creates. Existing files are left
 * alone, so re-running on an existing repository is harmless.
 */
export async function initBareRepo(gitdir: string, opts: InitOptions = {}): Promise<void> {
  const fs = opts.fs ?? nodeRepoFs;
  for (const dir of ['hooks', 'info', 'objects/info', 'objects/pack', 'refs/heads', 'refs/tags']) {
    await fs.mkdir(join(gitdir, dir));
  }
  const head = opts.initialHead ?? 'master';
  const target = head.startsWith('refs/') ? head : `refs/heads/${head}`;
  let config = '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = true\n';
  if (opts.compression !== undefined) config += `\tcompression = ${opts.compression}\n`;
  if (opts.bigFileThreshold !== undefined) config += `\tbigFileThreshold = ${opts.bigFileThreshold}\n`;
  const files: Array<[string, string]> = [
    ['description', DESCRIPTION],
    ['info/exclude', EXCLUDE],
    ['config', config],
    ['HEAD', `ref: ${target}\n`],
  ];
  for (const [name, text] of files) {
    const path = join(gitdir, name);
    if (!(await exists(fs, path))) await writeFileAtomic(fs, path, text);
  }
}

/** True when `gitdir` looks like a git directory: HEAD, objects/ and refs/ present. */
export async function isRepository(gitdir: string, fs: RepoFs = nodeRepoFs): Promise<boolean> {
  try {
    const [head, objects, refs] = await Promise.all([
      fs.stat(join(gitdir, 'HEAD')),
      fs.stat(join(gitdir, 'objects')),
      fs.stat(join(gitdir, 'refs')),
    ]);
    return head.isFile() && objects.isDirectory() && refs.isDirectory();
  } catch {
    return false;
  }
}
