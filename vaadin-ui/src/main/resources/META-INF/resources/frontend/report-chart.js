// A report's chart drawn by Apache ECharts (only the parts used: lines, bars, pies, heatmaps; SVG, so it
// stays sharp and light): the server sends a small spec, this turns it into an ECharts option in the
// page's colours (Lumo's, dark or light) and redraws when the element's size changes. A click on a
// heatmap's cell is sent back as a 'cell-click' event with its column and row.
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, HeatmapChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

class OrbitaReportChart extends HTMLElement {
  connectedCallback() {
    this.style.display = 'block';
    if (!this.chart) {
      this.chart = echarts.init(this, null, { renderer: 'svg' });
      this.resizer = new ResizeObserver(() => this.chart && this.chart.resize());
      this.resizer.observe(this);
      this.chart.on('click', (p) => {
        if (p.seriesType === 'heatmap') {
          this.dispatchEvent(new CustomEvent('cell-click', { detail: { x: p.value[0], y: p.value[1] } }));
        }
      });
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

  // spec: {kind: 'line' | 'bar' | 'pie', categories: [...], series: [{name, data: [...]}]}
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
    if (s.kind === 'heatmap') {
      // spec: {kind: 'heatmap', categories: [column names], rows: [row names], cells: [[column, row, value, label]], max, unit}
      this.chart.setOption({
        animation: false,
        textStyle: { fontFamily: css.getPropertyValue('--lumo-font-family').trim() || 'sans-serif' },
        tooltip: { position: 'top', formatter: (p) => `${s.rows[p.value[1]]} · ${s.categories[p.value[0]]}: ${p.value[3]}` },
        grid: { left: narrow ? 76 : 96, right: 8, top: 8, bottom: 56, containLabel: false },
        xAxis: { type: 'category', data: s.categories, splitArea: { show: true }, axisLabel: { color: text } },
        yAxis: { type: 'category', data: s.rows, inverse: true, splitArea: { show: true }, axisLabel: { color: text } },
        visualMap: { min: 0, max: s.max || 1, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: narrow ? 120 : 200,
          textStyle: { color: text }, inRange: { color: ['#e3f0fd', '#1676f3'] } },
        series: [{ type: 'heatmap', data: s.cells, label: { show: !narrow || s.categories.length <= 6, formatter: (p) => p.value[3], fontSize: 11 },
          emphasis: { itemStyle: { borderColor: '#333', borderWidth: 1 } } }],
      }, true);
      return;
    }
    const palette = ['#1676f3', '#0a7a3b', '#e8a317', '#c2185b', '#7b1fa2', '#00838f', '#6d4c41', '#8a8f98'];
    if (s.kind === 'pie') {
      // shares of one figure: the first series, a slice per category
      this.chart.setOption({
        animation: false,
        textStyle: { fontFamily: css.getPropertyValue('--lumo-font-family').trim() || 'sans-serif' },
        color: palette,
        tooltip: { trigger: 'item', formatter: '{b}: {c} ({d} %)' },
        legend: { type: 'scroll', orient: narrow ? 'horizontal' : 'vertical', left: narrow ? 'center' : 'left', top: narrow ? 'bottom' : 'middle',
          textStyle: { color: text } },
        series: [{ name: s.series[0].name, type: 'pie', radius: ['40%', '70%'], center: narrow ? ['50%', '42%'] : ['60%', '50%'],
          label: { color: text, formatter: '{b}: {d} %' },
          data: s.categories.map((c, i) => ({ name: c, value: s.series[0].data[i] })) }],
      }, true);
      return;
    }
    this.chart.setOption({
      animation: false,
      textStyle: { fontFamily: css.getPropertyValue('--lumo-font-family').trim() || 'sans-serif' },
      color: palette,
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
