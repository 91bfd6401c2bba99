import {
  ChangeDetectionStrategy, Component, DestroyRef, ElementRef, InjectionToken, ViewEncapsulation,
  afterNextRender, computed, effect, inject, input, untracked, viewChild,
} from '@angular/core';
import type uPlot from 'uplot';
import { ChartSpec, HISTORY_SECONDS } from './ops-metrics';

/** A chart's data as uPlot takes it: unix seconds, then one array per series (null: a gap). */
export type ChartData = [number[], ...(number | null)[][]];

/** What the page needs of a drawn chart: new data in place, a new width, and its end. */
export interface DrawnChart {
  setData(data: ChartData): void;
  setWidth(width: number): void;
  destroy(): void;
}

export type DrawChart = (into: HTMLElement, spec: ChartSpec, data: ChartData, width: number) => DrawnChart;

const HEIGHT = 180;

/** Draws with uPlot (canvas); a token, because jsdom has no canvas for the unit tests. */
export const DRAW_CHART = new InjectionToken<DrawChart>('draws a live chart', {
  providedIn: 'root',
  factory: () => drawWithUplot,
});

const clock = (seconds: number) => new Date(seconds * 1000).toLocaleTimeString('en-GB', { hour12: false });

/**
 * uPlot is loaded with the first chart (it reads the screen's pixel ratio as soon as it loads, which
 * the unit tests' jsdom cannot answer); what comes before it is drawn is kept for it.
 */
function drawWithUplot(into: HTMLElement, spec: ChartSpec, data: ChartData, width: number): DrawnChart {
  let plot: uPlot | undefined;
  let destroyed = false;
  import('uplot').then(({ default: UPlot }) => {
    if (destroyed) return;
    plot = new UPlot({
      width,
      height: HEIGHT,
      // the values are written out beside the chart, so neither a legend nor a hover cursor is needed
      legend: { show: false },
      cursor: { show: false },
      scales: {
        // always the whole window up to the newest second, so the lines move left as seconds come in
        x: { range: (_u, _min, max) => [(max ?? Date.now() / 1000) - HISTORY_SECONDS, max ?? Date.now() / 1000] },
        y: { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(1, (max ?? 0) * 1.1)] },
      },
      // the time of day only (every chart shows the last two minutes), far enough apart for a phone
      axes: [{ stroke: '#333', space: 80, values: (_u, splits) => splits.map(clock) }, { stroke: '#333', size: 56 }],
      series: [{}, ...spec.series.map((s) => ({ label: s.label, stroke: s.color, width: 2, dash: s.dash, points: { show: false } }))],
    }, data, into);
  }).catch(() => {
    // no chart (the chunk could not be fetched): the values are still written out beside it
  });
  return {
    setData: (next) => { data = next; plot?.setData(next); },
    setWidth: (w) => { width = w; plot?.setSize({ width: w, height: HEIGHT }); },
    destroy: () => { destroyed = true; plot?.destroy(); },
  };
}

/**
 * One live chart: drawn once, then given each new second in place (no new chart per update). The
 * canvas is hidden from screen readers; the newest value of each series is written out as text.
 */
@Component({
  selector: 'app-live-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  // uPlot builds its own elements, which emulated encapsulation would not reach
  encapsulation: ViewEncapsulation.None,
  styles: `
    app-live-chart { display: block; min-width: 0; }
    app-live-chart figure { margin: 0; border: 1px solid #ccc; border-radius: 4px; padding: .5rem; }
    app-live-chart h2 { font-size: 1rem; margin: 0 0 .25rem; }
    app-live-chart .plot { min-height: ${HEIGHT}px; }
    app-live-chart .u-wrap { position: relative; }
    app-live-chart .u-over, app-live-chart .u-under, app-live-chart .u-axis { position: absolute; }
    app-live-chart .u-under { overflow: hidden; }
    app-live-chart canvas { display: block; position: relative; width: 100%; height: 100%; }
    app-live-chart dl { display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: .25rem 0 0; }
    app-live-chart dl div { display: flex; gap: .35rem; align-items: baseline; }
    app-live-chart dd { margin: 0; font-weight: bold; font-variant-numeric: tabular-nums; }
    app-live-chart .swatch { display: inline-block; width: 1.5rem; height: 0; border-top: 3px solid; vertical-align: middle; }
  `,
  template: `
    <figure [attr.aria-labelledby]="spec().id + '-title'">
      <h2 [id]="spec().id + '-title'">{{ spec().title }}</h2>
      <div #plot class="plot" aria-hidden="true"></div>
      <dl [attr.data-chart]="spec().id">
        @for (s of spec().series; track s.key; let i = $index) {
          <div>
            <dt><span class="swatch" aria-hidden="true" [style.border-top-color]="s.color"
                      [style.border-top-style]="s.dash ? 'dashed' : 'solid'"></span> {{ s.label }}</dt>
            <dd [attr.data-series]="s.key">{{ latest()[i] }}</dd>
          </div>
        }
      </dl>
    </figure>
  `,
})
export class LiveChart {
  readonly spec = input.required<ChartSpec>();
  readonly data = input.required<ChartData>();
  /** How a value is written out (the chart's unit); "–" when there is none yet. */
  readonly format = input<(value: number) => string>((v) => String(v));

  private readonly draw = inject(DRAW_CHART);
  private readonly host = viewChild.required<ElementRef<HTMLElement>>('plot');
  private chart?: DrawnChart;

  protected readonly latest = computed(() => {
    const [, ...series] = this.data();
    return series.map((values) => {
      const value = values.at(-1);
      return value === null || value === undefined ? '–' : this.format()(value);
    });
  });

  constructor() {
    const destroyRef = inject(DestroyRef);
    afterNextRender(() => {
      const element = this.host().nativeElement;
      this.chart = this.draw(element, this.spec(), untracked(this.data), widthOf(element));
      if (typeof ResizeObserver === 'undefined') return;
      const resize = new ResizeObserver(() => this.chart?.setWidth(widthOf(element)));
      resize.observe(element);
      destroyRef.onDestroy(() => resize.disconnect());
    });
    effect(() => {
      const data = this.data();
      untracked(() => this.chart?.setData(data));
    });
    destroyRef.onDestroy(() => this.chart?.destroy());
  }
}

function widthOf(element: HTMLElement): number {
  return Math.max(200, Math.floor(element.clientWidth || 320));
}
