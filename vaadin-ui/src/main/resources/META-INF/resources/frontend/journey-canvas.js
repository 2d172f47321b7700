// The journey's BPMN diagram, drawn by bpmn-js (NavigatedViewer: pan and zoom), with each
// node's figures in an overlay; a click on a node tells the server which one.
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';

const STYLE = `
orbita-journey-canvas .orbita-stat { font: 11px/1.3 var(--lumo-font-family, sans-serif); background: #fff; border: 1px solid #c5cbd3;
  border-radius: 4px; padding: 1px 5px; white-space: nowrap; color: #233; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
orbita-journey-canvas .orbita-stat b { color: #1676f3; }
orbita-journey-canvas .orbita-stat .wait { color: #b36b00; }
orbita-journey-canvas .orbita-stat .conv { color: #0a7a3b; }
orbita-journey-canvas .orbita-selected .djs-visual > :first-child { stroke: #1676f3 !important; stroke-width: 3px !important; }
`;

class OrbitaJourneyCanvas extends HTMLElement {
  connectedCallback() {
    if (this.viewer) {
      return;
    }
    if (!document.getElementById('orbita-journey-canvas-style')) {
      const style = document.createElement('style');
      style.id = 'orbita-journey-canvas-style';
      style.textContent = STYLE;
      document.head.appendChild(style);
    }
    this.style.display = 'block';
    this.viewer = new NavigatedViewer({ container: this });
    this.viewer.on('element.click', (e) => {
      const id = e.element && e.element.businessObject ? e.element.id : null;
      if (id && e.element.type !== 'bpmn:Process' && e.element.type !== 'bpmn:SequenceFlow') {
        this.dispatchEvent(new CustomEvent('node-click', { detail: { id } }));
      }
    });
    if (this.pending) {
      const [xml, stats, selected] = this.pending;
      this.pending = null;
      this.show(xml, stats, selected);
    }
  }

  /** Draws the diagram (BPMN XML) with figures per node ({node: {entered, waiting, completed, exited, converted}}). */
  async show(xml, statsJson, selected) {
    if (!this.viewer) {
      this.pending = [xml, statsJson, selected];
      return;
    }
    try {
      await this.viewer.importXML(xml);
      this.viewer.get('canvas').zoom('fit-viewport', 'auto');
      this.setAttribute('data-shown', 'true');
    } catch (err) {
      this.setAttribute('data-error', String(err && err.message || err));
      return;
    }
    this.stats(statsJson);
    this.select(selected);
  }

  stats(statsJson) {
    const overlays = this.viewer.get('overlays');
    const registry = this.viewer.get('elementRegistry');
    overlays.remove({ type: 'orbita-stats' });
    const stats = statsJson ? JSON.parse(statsJson) : {};
    for (const [node, s] of Object.entries(stats)) {
      if (!registry.get(node)) {
        continue;
      }
      const html = document.createElement('div');
      html.className = 'orbita-stat';
      html.dataset.node = node;
      html.innerHTML = `<b>${s.entered}</b> in · <span class="wait">${s.waiting}</span> now · ${s.exited} out`
        + (s.converted ? ` · <span class="conv">${s.converted} conv</span>` : '');
      overlays.add(node, 'orbita-stats', { position: { bottom: -6, left: -10 }, html });
    }
  }

  select(node) {
    const canvas = this.viewer.get('canvas');
    if (this.selected) {
      try { canvas.removeMarker(this.selected, 'orbita-selected'); } catch (e) { /* gone with a redraw */ }
    }
    this.selected = null;
    if (node && this.viewer.get('elementRegistry').get(node)) {
      canvas.addMarker(node, 'orbita-selected');
      this.selected = node;
    }
  }
}

customElements.define('orbita-journey-canvas', OrbitaJourneyCanvas);
