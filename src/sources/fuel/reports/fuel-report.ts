import type { ApiQueryOptions } from '@nestjs/swagger';
import type { Queryable } from '../../../database/database';
import type { ReportView } from './report-view';
import { populationInstallations, windowedInstallations } from './report-sql';
import { ReportQuery, ReportWindow, reportWindow } from './report-window';

/** What a report reads from: the database, the request's query parameters and the fuelstats.md §6.0 privacy floor. */
export type ReportContext = Readonly<{ db: Queryable; query: ReportQuery; floor: number }>;

/** The head every fuelstats.md §6 seed report answer starts with. */
export type ReportEnvelope = Readonly<{ from_date: string; to_date: string; release: string | null; population: { installations: number } }>;

export function envelope(w: ReportWindow, installations: number): ReportEnvelope {
  return { from_date: w.from, to_date: w.to, release: w.release, population: { installations } };
}

/** A cached report keeps one answer per key for `ttlMs`; a request with `bypass` set recomputes it. */
export type ReportCache = Readonly<{ ttlMs: number; key(q: ReportQuery): string; bypass(q: ReportQuery): boolean }>;

/**
 * One Fuel report as its file declares it: the route `GET /api/v1/json/report/<name>` with its Swagger text,
 * the answer (SQL through the maths), and, for the reports the console shows, the view of an answer.
 */
export type ReportDefinition<A extends object> = Readonly<{
  name: string;
  /** Swagger: operation summary, the answer's shape, and the query parameters it reads. */
  summary: string;
  response: string;
  query: readonly ApiQueryOptions[];
  cache?: ReportCache;
  answer(ctx: ReportContext): Promise<A>;
  /** Present on the reports the console lists as tabs, in registry order. */
  console?: Readonly<{ title: string; view(answer: A): ReportView }>;
}>;

/** A registered report; the answer type stays inside its definition, so the registry needs no casts. */
export type FuelReport = Readonly<{
  name: string;
  summary: string;
  response: string;
  query: readonly ApiQueryOptions[];
  cache?: ReportCache;
  answer(ctx: ReportContext): Promise<object>;
  console?: Readonly<{ title: string; page(ctx: ReportContext): Promise<ReportView> }>;
}>;

export function defineReport<A extends object>(d: ReportDefinition<A>): FuelReport {
  const { console: shown, ...rest } = d;
  return shown ? { ...rest, console: { title: shown.title, page: async (ctx) => shown.view(await d.answer(ctx)) } } : rest;
}

/** Swagger query parameters of the windowed seed reports (fuelstats.md §5.0/§6.0). */
export const WINDOW_QUERY: readonly ApiQueryOptions[] = [
  { name: 'from_date', required: false, description: 'YYYY-MM-DD, default today−90 days' },
  { name: 'to_date', required: false, description: 'YYYY-MM-DD, default today' },
  { name: 'release', required: false, description: 'Fuel release of the installation, e.g. 9.0' },
];

/** Who a seed report counts as its population (fuelstats.md §6.0): the windowed installations, all of them, or its own rows. */
export type Population<Rows> = 'windowed' | 'all' | ((rows: Rows) => number);

/** A fuelstats.md §6 seed report (R1–R7): the date window, its population and rows read together, pure maths over the rows. */
export type SeedReport<Rows, R extends object> = Readonly<{
  name: string;
  title: string;
  /** Swagger: operation summary, the answer's shape, query parameters beyond the window. */
  api: Readonly<{ summary: string; response: string; query?: readonly ApiQueryOptions[] }>;
  population: Population<NoInfer<Rows>>;
  read(db: Queryable, w: ReportWindow, q: ReportQuery): Promise<Rows>;
  compute(rows: Rows, floor: number, q: ReportQuery): R;
  view(answer: Partial<ReportEnvelope & R>): ReportView;
}>;

export function seedReport<Rows, R extends object>(r: SeedReport<Rows, R>): FuelReport {
  return defineReport<ReportEnvelope & R>({
    name: r.name,
    summary: r.api.summary,
    response: r.api.response,
    query: [...WINDOW_QUERY, ...(r.api.query ?? [])],
    async answer({ db, query, floor }) {
      const w = reportWindow(query);
      const { population } = r;
      const [installations, rows] = await Promise.all([
        population === 'windowed' ? windowedInstallations(db, w) : population === 'all' ? populationInstallations(db, w) : 0,
        r.read(db, w, query),
      ]);
      return { ...envelope(w, typeof population === 'function' ? population(rows) : installations), ...r.compute(rows, floor, query) };
    },
    console: { title: r.title, view: r.view },
  });
}
