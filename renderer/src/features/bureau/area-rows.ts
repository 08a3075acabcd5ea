// The rows of an area's school list (学校): one per school with its figures — counted on this machine
// when it holds the school's records, else the server's last figures — and, for a city or the province,
// the cities and counties in between with the sums of their schools. Pure (tested without a browser).
import type { OrgDoc, SchoolType } from '../../../../shared/domain/schemas';
import type { SchoolStats } from '../../../../shared/sync/protocol';
import type { LocalSchoolFigures } from './area-store';

export type Held = 'kept' | 'cached' | 'area' | null;

export type AreaRow = {
  key: string;
  id: string;
  name: string;
  kind: OrgDoc['kind'];
  schoolType?: SchoolType;
  /** schools in this row (1 for a school) */
  schools: number;
  students: number | null;
  onRoster: number | null;
  folders: number | null;
  complete: number | null;
  /** a school's last sync; a group's earliest among its schools (null: a school never synced) */
  lastSyncAt: string | null;
  /** schools of the group that never synced */
  neverSynced: number;
  pendingApprovals: number | null;
  /** JSON bytes of the school's records on the server (what a download weighs) */
  bytes: number | null;
  /** where a school's figures come from */
  source: 'local' | 'server' | null;
  held: Held;
  children?: AreaRow[];
};

export type AreaRowsInput = {
  /** the desk's org and every org document held */
  root: Pick<OrgDoc, 'id' | 'path'>;
  orgs: readonly OrgDoc[];
  stats: readonly SchoolStats[];
  /** local figures of a school whose records this machine holds (undefined: none held) */
  local: (schoolId: string, type: SchoolType) => LocalSchoolFigures | undefined;
  /** how the desk holds a school */
  held: (schoolId: string) => Held;
};

const sum = (values: (number | null)[]) =>
  values.some((v) => v === null) ? null : values.reduce<number>((a, v) => a + (v ?? 0), 0);

function schoolRow(org: OrgDoc, input: AreaRowsInput, stats: Map<string, SchoolStats>): AreaRow {
  const type = org.schoolType ?? 'k12';
  const held = input.held(org.id);
  const local = held ? input.local(org.id, type) : undefined;
  const server = stats.get(org.id);
  const figures = local ?? server;
  return {
    key: org.id,
    id: org.id,
    name: org.name,
    kind: 'school',
    schoolType: type,
    schools: 1,
    students: figures?.students ?? null,
    onRoster: figures?.onRoster ?? null,
    folders: figures?.archive.folders ?? null,
    complete: figures?.archive.complete ?? null,
    lastSyncAt: server?.lastSyncAt ?? null,
    neverSynced: server && !server.lastSyncAt ? 1 : 0,
    pendingApprovals: server?.pendingApprovals ?? null,
    bytes: server?.bytes ?? null,
    source: local ? 'local' : server ? 'server' : null,
    held,
  };
}

function groupRow(org: OrgDoc, children: AreaRow[]): AreaRow {
  const synced = children.map((c) => c.lastSyncAt).filter((t): t is string => t !== null);
  return {
    key: org.id,
    id: org.id,
    name: org.name,
    kind: org.kind,
    schools: children.reduce((n, c) => n + c.schools, 0),
    students: sum(children.map((c) => c.students)),
    onRoster: sum(children.map((c) => c.onRoster)),
    folders: sum(children.map((c) => c.folders)),
    complete: sum(children.map((c) => c.complete)),
    lastSyncAt: synced.sort()[0] ?? null,
    neverSynced: children.reduce((n, c) => n + c.neverSynced, 0),
    pendingApprovals: sum(children.map((c) => c.pendingApprovals)),
    bytes: sum(children.map((c) => c.bytes)),
    source: null,
    held: null,
    children,
  };
}

/**
 * The rows below the desk's org: a county gets its schools; a city its counties (and any school directly
 * under it), each with its schools; the province its cities. Groups without schools are left out.
 */
export function areaRows(input: AreaRowsInput): AreaRow[] {
  const stats = new Map(input.stats.map((s) => [s.id, s]));
  const below = input.orgs.filter((o) => o.path.startsWith(input.root.path) && o.path !== input.root.path);
  const childrenOf = new Map<string, OrgDoc[]>();
  for (const o of below) {
    const parent = o.parentId ?? '';
    const list = childrenOf.get(parent) ?? [];
    list.push(o);
    childrenOf.set(parent, list);
  }
  const build = (parentId: string): AreaRow[] =>
    (childrenOf.get(parentId) ?? [])
      .sort((a, b) => (a.kind === b.kind ? a.path.localeCompare(b.path) : a.kind === 'school' ? 1 : -1))
      .flatMap((o) => {
        if (o.kind === 'school') return [schoolRow(o, input, stats)];
        const children = build(o.id);
        return children.length > 0 ? [groupRow(o, children)] : [];
      });
  return build(input.root.id);
}

/** Every school row of a tree. */
export function schoolRows(rows: readonly AreaRow[]): AreaRow[] {
  return rows.flatMap((r) => (r.kind === 'school' ? [r] : schoolRows(r.children ?? [])));
}

/** The share of complete folders, as shown (e.g. 62.5%); null without figures. */
export function completeShare(row: Pick<AreaRow, 'folders' | 'complete'>): number | null {
  if (row.folders === null || row.complete === null) return null;
  return row.folders === 0 ? null : Math.round((row.complete / row.folders) * 1000) / 10;
}

/** When a school last synced, in words relative to now. */
export function sinceLabel(iso: string | null, now: Date): string {
  if (!iso) return '从未同步';
  const t = new Date(iso);
  const minutes = Math.floor((now.getTime() - t.getTime()) / 60_000);
  const hm = `${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`;
  if (minutes < 1) return '刚刚';
  if (minutes < 60) return `${minutes} 分钟前`;
  const day = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((day(now) - day(t)) / 86_400_000);
  if (days === 0) return `今天 ${hm}`;
  if (days === 1) return `昨天 ${hm}`;
  const md = `${String(t.getMonth() + 1).padStart(2, '0')}-${String(t.getDate()).padStart(2, '0')}`;
  return t.getFullYear() === now.getFullYear() ? `${md} ${hm}` : `${t.getFullYear()}-${md}`;
}

/** A school that has not synced for this many days is marked (its figures on the server may be old). */
export const STALE_DAYS = 7;

export function isStale(iso: string | null, now: Date): boolean {
  return !iso || now.getTime() - new Date(iso).getTime() > STALE_DAYS * 86_400_000;
}

/** Bytes in words (数据约 3.4 MB). */
export function sizeLabel(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
