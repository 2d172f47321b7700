// A report's chart drawn by Apache ECharts (only the parts used: lines, bars; SVG, so it stays sharp
// and light): the server sends a small spec, this turns it into an ECharts option in the page's
// colours (Lumo's, dark or light) and redraws when the element's size changes.
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

class OrbitaReportChart extends HTMLElement {
  connectedCallback() {
    this.style.display = 'block';
    if (!this.chart) {
      this.chart = echarts.init(this, null, { renderer: 'svg' });
      this.resizer = new ResizeObserver(() => this.chart && this.chart.resize());
      this.resizer.observe(this);
    }
    if (this.spec) {
      this.draw();
    }
  }

  disconnectedCallback() {
    if (this.resizer) {
      this.resizer.disconnect();
    }
    if (this.chart) {
      this.chart.dispose();
      this.chart = null;
    }
  }

  // spec: {kind: 'line' | 'bar', categories: [...], series: [{name, data: [...]}]}
  show(specJson) {
    this.spec = JSON.parse(specJson);
    if (this.chart) {
      this.draw();
    }
  }

  draw() {
    const css = getComputedStyle(this);
    const text = css.getPropertyValue('--lumo-secondary-text-color').trim() || '#555';
    const line = css.getPropertyValue('--lumo-contrast-10pct').trim() || '#ddd';
    const narrow = this.clientWidth < 500;
    const s = this.spec;
    this.chart.setOption({
      animation: false,
      textStyle: { fontFamily: css.getPropertyValue('--lumo-font-family').trim() || 'sans-serif' },
      color: ['#1676f3', '#0a7a3b', '#e8a317', '#c2185b', '#7b1fa2', '#00838f', '#6d4c41'],
      tooltip: { trigger: 'axis' },
      legend: { top: 0, textStyle: { color: text }, type: 'scroll' },
      grid: { left: narrow ? 40 : 60, right: 16, top: 36, bottom: s.kind === 'bar' && !narrow ? 60 : 30, containLabel: false },
      xAxis: { type: 'category', data: s.categories, axisLabel: { color: text, hideOverlap: true, rotate: s.kind === 'bar' && !narrow ? 20 : 0 },
        axisLine: { lineStyle: { color: line } } },
      yAxis: { type: 'value', axisLabel: { color: text }, splitLine: { lineStyle: { color: line } } },
      series: s.series.map((x) => ({ name: x.name, type: s.kind, data: x.data, showSymbol: s.categories.length < 40, barMaxWidth: 48 })),
    }, true);
  }
}

customElements.define('orbita-report-chart', OrbitaReportChart);
