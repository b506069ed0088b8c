/**
 * Where a commit's new trees and its commit object are stored. With a pack
 * writer already open (a big batch), they join that pack; past a count of
 * their own they start one; otherwise they are written loose. Nothing is
 * stored before `finish()`, which the commit path runs before the ref moves,
 * so objects still land before the ref that names them.
 */
import { hashObject } from './objects/index.js';
import type { ObjectStore, ObjectType, Oid, PackWriter } from './store/types.js';

/** More new trees (plus the commit) than this go into a pack instead of loose files. */
export const TREE_PACK_THRESHOLD = 64;

export class ObjectSink {
  private readonly pending = new Map<Oid, { type: ObjectType; data: Uint8Array }>();
  private stored: Array<() => void> = [];

  constructor(
    private readonly objects: ObjectStore,
    private pack: PackWriter | null = null,
    private readonly threshold = TREE_PACK_THRESHOLD,
  ) {}

  /** Queue one object; returns its id. */
  async write(type: ObjectType, data: Uint8Array): Promise<Oid> {
    if (this.pack) return this.pack.write(type, data);
    const oid = hashObject(type, data);
    this.pending.set(oid, { type, data });
    if (this.pending.size > this.threshold) await this.startPack();
    return oid;
  }

  whenStored(fn: () => void): void {
    this.stored.push(fn);
  }

  private async startPack(): Promise<void> {
    const pack = await this.objects.packWriter();
    this.pack = pack;
    for (const { type, data } of this.pending.values()) await pack.write(type, data);
    this.pending.clear();
  }

  /** Store everything: the pack and its index renamed into place, or the loose files written. */
  async finish(): Promise<void> {
    const pack = this.pack;
    this.pack = null;
    if (pack) {
      if (pack.count > 0) await pack.finish();
      else await pack.abort();
    }
    for (const { type, data } of this.pending.values()) await this.objects.write(type, data);
    this.pending.clear();
    const callbacks = this.stored;
    this.stored = [];
    for (const fn of callbacks) fn();
  }

  /** Drop whatever was queued (an open pack is removed with it). */
  async abort(): Promise<void> {
    this.pending.clear();
    this.stored = [];
    const pack = this.pack;
    this.pack = null;
    if (pack) await pack.abort();
  }
}
